/**
 * Build errors. A `BuildError` points at one place in a source file and says how to fix it;
 * `BuildConfigError` is a setup problem (a missing entry file, a bad option);
 * `build()` throws `BuildFailedError` carrying every `BuildError` of the failed run.
 */

export interface SourceLocation {
  /** Path relative to the project root, with `/` separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class BuildError extends Error {
  override name = "BuildError";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly hint: string | undefined;

  constructor(problem: string, where: SourceLocation, hint?: string) {
    super(`${formatLocation(where)}: ${problem}${hint ? `\n  hint: ${hint}` : ""}`);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.hint = hint;
  }
}

export class BuildConfigError extends Error {
  override name = "BuildConfigError";
}

export class BuildFailedError extends Error {
  override name = "BuildFailedError";
  readonly errors: readonly BuildError[];

  constructor(errors: readonly BuildError[]) {
    const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
    super(`Build failed with ${count}:\n${errors.map((error) => error.message).join("\n")}`);
    this.errors = errors;
  }
}

export function formatLocation(where: SourceLocation): string {
  return `${where.file}:${where.line}:${where.column}`;
}

/** Line and column (both 1-based) of a UTF-16 offset in `source`. */
export function locate(file: string, source: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let index = source.indexOf("\n"); index !== -1 && index < offset; index = source.indexOf("\n", index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

/** A `BuildError` at an offset of a source file. */
export function errorAt(file: string, source: string, offset: number, problem: string, hint?: string): BuildError {
  return new BuildError(problem, locate(file, source, offset), hint);
}
