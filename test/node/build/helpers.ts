import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSync, Visitor } from "oxc-parser";
import { modulePath } from "../../../build/ids.ts";
import { transformModule, type Target } from "../../../build/transform.ts";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURES = join(REPO, "test/fixtures");

/** A fixture file run through the transform for one bundle. */
export function transformFixture(name: string, target: Target): { source: string; code: string | undefined; file: string } {
  const path = join(FIXTURES, name);
  const source = readFileSync(path, "utf8");
  const file = modulePath(REPO, path);
  return { source, file, code: transformModule(source, { path, file, target }) };
}

/** Parses transformed output (it must be valid TS/TSX) and lists the string arguments of calls to `callee`. */
export function stringArguments(code: string, callee: string, lang: "ts" | "tsx" = "tsx"): string[] {
  const { program, errors } = parseSync(`output.${lang}`, code, { sourceType: "module" });
  if (errors.length > 0) throw new Error(`transformed code does not parse: ${errors[0]!.message}\n${code}`);
  const found: string[] = [];
  new Visitor({
    CallExpression(node) {
      const [first] = node.arguments;
      if (node.callee.type === "Identifier" && node.callee.name === callee && first?.type === "Literal" && typeof first.value === "string") {
        found.push(first.value);
      }
    },
  }).visit(program);
  return found;
}

/** Functions whose body still starts with a "use server" directive. */
export function directiveCount(code: string): number {
  const { program } = parseSync("output.tsx", code, { sourceType: "module" });
  let count = program.body.some((statement) => "directive" in statement && statement.directive === "use server") ? 1 : 0;
  const check = (node: { body?: unknown }) => {
    const body = node.body as { type?: string; body?: { directive?: string }[] } | null | undefined;
    if (body?.type === "BlockStatement" && body.body?.some((statement) => statement.directive === "use server")) count++;
  };
  new Visitor({ FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check }).visit(program);
  return count;
}

export function lineCount(text: string): number {
  return text.split("\n").length;
}
