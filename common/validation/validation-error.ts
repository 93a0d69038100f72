import { ServerError } from "../errors.ts";

/** One reason a server function's input was refused. */
export interface ValidationIssue {
  /** Which argument (0 for the first; bound arguments count first). */
  readonly argument: number;
  /** Where in that argument, as the schema reports it: `["items", 0, "name"]`. Empty: the argument itself. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The arguments of a call do not match the schemas its server function declared (`{ input }`):
 * the function did not run. Status 422. On the client, the stub rejects with this class, and a
 * form's submission carries `issues` by field (`fields`).
 */
export class ValidationError extends ServerError {
  override name = "ValidationError";
  readonly issues: readonly ValidationIssue[];
  /**
   * The first message per field, by the field's dotted path (`"title"`, `"address.city"`),
   * for showing next to a form's inputs. An issue about a whole argument has no field.
   */
  readonly fields: Readonly<Record<string, string>>;

  constructor(issues: readonly ValidationIssue[], message = summarize(issues)) {
    super(message, { status: 422 });
    this.issues = issues;
    const fields: Record<string, string> = {};
    for (const issue of issues) {
      const field = issue.path.join(".");
      if (field && !Object.hasOwn(fields, field)) fields[field] = issue.message;
    }
    this.fields = fields;
  }
}

function summarize(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 3).map(({ path, message }) => (path.length ? `${path.join(".")}: ${message}` : message));
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : "";
  return `Invalid input: ${shown.join("; ")}${more}`;
}

/** Issues as they arrive from the other side: kept only when they have the right shape. */
export function readIssues(value: unknown): ValidationIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues: ValidationIssue[] = [];
  for (const item of value as unknown[]) {
    const { argument, path, message } = (item ?? {}) as Partial<ValidationIssue>;
    if (typeof argument !== "number" || typeof message !== "string" || !Array.isArray(path)) return undefined;
    if (!path.every((key) => typeof key === "string" || typeof key === "number")) return undefined;
    issues.push({ argument, path, message });
  }
  return issues;
}
