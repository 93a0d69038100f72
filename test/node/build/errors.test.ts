import { describe, expect, it } from "vitest";
import { BuildError } from "../../../build/errors.ts";
import { transformFixture } from "./helpers.ts";

// Every misuse of "use server": the error names file:line:column and says how to fix it.
const cases: [fixture: string, line: number, column: number, problem: RegExp, hint: RegExp][] = [
  ["file-level-value.ts", 3, 14, /"limit" is exported from a "use server" file but is not a function/, /may export only async functions/],
  ["file-level-sync.ts", 2, 8, /the server function compute is not async/, /make it async: async function compute/],
  ["file-level-let.ts", 2, 12, /"handler" .* is declared with let/, /may export only async functions/],
  ["file-level-reexport.ts", 2, 1, /cannot re-export from another module/, /import the server functions from "\.\/elsewhere\.ts"/],
  ["file-level-export-star.ts", 3, 1, /cannot use export \*/, /one by one/],
  ["file-level-class.ts", 2, 8, /cannot export a class/, /may export only async functions/],
  ["file-level-default-value.ts", 2, 16, /the default export of a "use server" file is not a function/, /may export only async functions/],
  ["file-level-imported.ts", 3, 10, /"save" is re-exported .* imported from another module/, /export it from the module that defines it/],
  ["not-async.ts", 1, 8, /the server function total is not async/, /make it async/],
  ["arrow-not-async.ts", 2, 31, /the server function getCount is not async/, /async \(…\) =>/],
  ["generator.ts", 1, 8, /the server function stream is an async generator/, /plain async function/],
  ["method.ts", 2, 3, /the method Store\.save cannot be a server function/, /async function save\(…\)/],
  ["closure-query.tsx", 3, 23, /the query Notes\.notes uses "owner" from the code around it: a query cannot be a closure/, /^pass owner as arguments: notes\(owner\)$/],
  ["closure-used.tsx", 9, 12, /the server function Page\.both uses "save", the server function Page\.save, which uses variables of the code around it \(a closure\)/, /^give Page\.save what it needs as arguments/],
  ["capture-held-let.ts", 9, 12, /Cart\.checkout uses "add", which holds the server function Cart\.add but cannot move to module scope with it: add is declared with let/, /^declare add with const$/],
  ["capture-held-wrapper.ts", 9, 12, /Cart\.checkout uses "add", .* add wraps it in a call other than action\(fn\) or query\(fn, "key"\)/, /^hold it in const add = action\(fn, options\) or const add = query\(fn, "key", options\), or declare add at module level$/],
  ["capture-held-key.ts", 6, 15, /the call holding the server function Cart\.items uses "user" from an enclosing scope in its other arguments/, /^declare user at module level/],
  ["options-enclosing.tsx", 6, 45, /the call holding the server function Page\.save uses "limit" from an enclosing scope/, /^declare limit at module level/],
  ["options-declared-later.ts", 5, 36, /the call holding the server function Page\.save uses "schema", declared further down the module/, /^move the declaration of schema above that code$/],
  ["capture-this.ts", 6, 14, /Store\.handler\.\$1 uses the enclosing function's this, which cannot travel with it/, /^copy what you need from this into a const first/],
  ["nested-in-server.ts", 3, 3, /outer\.inner is declared inside the server function outer/, /move it to module level/],
  ["duplicate-id.ts", 8, 5, /two server functions have the id "Page\.save_[0-9a-f]{10}": this one and the one at test\/fixtures\/errors\/duplicate-id\.ts:3:5/, /rename one/],
  ["syntax-error.ts", 3, 15, /Unexpected token/, /fix the syntax error/],
];

describe("build errors", () => {
  for (const [fixture, line, column, problem, hint] of cases) {
    it(`${fixture}: ${problem.source}`, () => {
      for (const target of ["client", "worker"] as const) {
        let error: unknown;
        try {
          transformFixture(`errors/${fixture}`, target);
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(BuildError);
        const { message, file } = error as BuildError;
        expect(file).toBe(`test/fixtures/errors/${fixture}`);
        expect(message.startsWith(`test/fixtures/errors/${fixture}:${line}:${column}: `)).toBe(true);
        expect(message).toMatch(problem);
        const hintLine = message.split("\n  hint: ")[1];
        expect(hintLine).toMatch(hint);
      }
    });
  }
});
