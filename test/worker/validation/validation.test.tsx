// Validation ({ input } schemas): checked before the function on every path — a stub's POST,
// a plain form post, a read (GET), bound arguments, a query called on the server, and a direct
// call in server code — for two Standard Schema libraries. A failure is a 422 with the issues,
// and the function does not run.
import { beforeEach, describe, expect, it } from "vitest";
import { createServerReference, markAsQuery as markStubAsQuery } from "../../../client/stub.ts";
import { actionUrl, ECHO_FIELD, RETURN_FIELD } from "../../../common/forms.ts";
import { defineRoutes, type PageArgs, type RouteDefinition } from "../../../common/routes.ts";
import { ServerError } from "../../../common/errors.ts";
import { ValidationError } from "../../../common/validation/validation-error.ts";
import { action } from "../../../worker/endpoint/checked-call.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { query } from "../../../worker/queries/query.ts";
import { FormBrowser, textOf } from "../forms/browser.ts";
import { bodyText, ORIGIN, serve, useClient } from "../endpoint/serve.ts";
import { libraries, type Note } from "./libraries.ts";

const calls: string[] = [];

const functions = Object.entries(libraries).map(([library, schemas]) => {
  const save = action(
    registerServerFunction(`validation/${library}/save`, async (id: number, note: Note) => {
      calls.push(`save ${id}`);
      return { id, note };
    }),
    { input: [schemas.id, schemas.note] },
  );
  const find = query(
    registerServerFunction(`validation/${library}/find`, async (term: string) => {
      calls.push(`find ${term}`);
      return `found ${term}`;
    }),
    `find-${library}`,
    { input: schemas.term },
  );
  return { library, save, find };
});

const routes = defineRoutes(
  functions.flatMap(({ library, save, find }) => [
    {
      path: `/${library}/note`,
      component: () => {
        const submission = useSubmission(save.with(7));
        return (
          <>
            <p id="result">{submission?.result ? JSON.stringify(submission.result) : "none"}</p>
            <p id="issues">{JSON.stringify(submission?.issues ?? null)}</p>
            <form method="post" action={save.with(7)}>
              <input name="title" value={submission?.input?.get("title")?.toString()} />
              <p data-sortie-issue="title"></p>
              <input name="count" aria-describedby="count-hint" />
              <span id="count-hint">A number</span>
              <p id="own-id" data-sortie-issue="count"></p>
              <input name="address.city" />
              <p data-sortie-issue="address.city"></p>
            </form>
          </>
        );
      },
    },
    {
      path: `/${library}/find/:term`,
      preload: ({ params }: PageArgs<"/:term">) => find(params.term),
      component: async ({ params }: PageArgs<"/:term">) => <p id="found">{await find(params.term)}</p>,
    } as RouteDefinition<string>,
  ]),
);
const app = serve({ routes, manifest: { entry: "/assets/entry.js", imports: [], css: [] } });
useClient(app);

beforeEach(() => {
  calls.length = 0;
});

const valid = { title: "  Groceries ", count: "3", "tags[]": "milk", "address.city": "Lyon" };

function formOf(fields: Record<string, string> | [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) form.append(name, value);
  return form;
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

for (const { library, save } of functions) {
  describe(`with ${library}`, () => {
    const stub = createServerReference<typeof save>(`validation/${library}/save`);

    it("a stub call gets the schemas' output: the title trimmed, the count a number, the nested object", async () => {
      expect(await stub.with(7)({ title: " Groceries ", count: 3, tags: ["milk"], address: { city: "Lyon" } } as never)).toEqual({
        id: 7,
        note: { title: "Groceries", count: 3, tags: ["milk"], address: { city: "Lyon" } },
      });
    });

    it("a stub call with a FormData goes through the form rule: a.b nests, name[] is a list, the schema coerces", async () => {
      expect(await stub.with(7)(formOf(valid))).toEqual({ id: 7, note: { title: "Groceries", count: 3, tags: ["milk"], address: { city: "Lyon" } } });
      // Without the optional list: the schema's default.
      expect(await stub(7, formOf({ title: "A", count: "1", "address.city": "B" }))).toMatchObject({ note: { tags: [] } });
    });

    it("an invalid stub call rejects with a 422 ValidationError holding each issue; the function does not run", async () => {
      const error = await rejection(stub.with(7)(formOf({ title: "   ", count: "0", "address.city": "" })));
      expect(error.status).toBe(422);
      expect(error.issues.map(({ argument, path, message }) => [argument, path.join("."), message])).toEqual([
        [1, "title", "A title is required"],
        [1, "count", "At least one"],
        [1, "address.city", "Which city?"],
      ]);
      expect(error.fields).toEqual({ title: "A title is required", count: "At least one", "address.city": "Which city?" });
      expect(error.message).toBe("Invalid input: title: A title is required; count: At least one; address.city: Which city?");
      expect(calls).toEqual([]);
    });

    it("bound arguments are checked too (.with(…), or a tampered ?bound=)", async () => {
      const error = await rejection(stub.with(-1)(formOf(valid)));
      expect(error.issues).toEqual([{ argument: 0, path: [], message: "The id must be positive" }]);
      const tampered = await app(`/_server/validation%2F${library}%2Fsave?bound=${encodeURIComponent(JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 1, s: "7" }], o: 0 }, f: 0, m: [] }))}`, {
        method: "POST",
        headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" },
        body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 1, s: "x" }], o: 0 }, f: 0, m: [] }),
      });
      expect(tampered.status).toBe(422);
      const first = JSON.parse((await bodyText(tampered)).split("\n")[0]!) as { e: unknown };
      expect(JSON.stringify(first.e)).toContain("issues");
      expect(calls).toEqual([]);
    });

    it("more arguments than schemas is an issue; a missing one is checked as undefined", async () => {
      const extra = await rejection((stub as unknown as (...args: unknown[]) => Promise<unknown>)(7, formOf(valid), "more"));
      expect(extra.issues).toContainEqual({ argument: 2, path: [], message: "Expected at most 2 arguments, got 3" });
      const missing = await rejection((stub as unknown as (...args: unknown[]) => Promise<unknown>)(7));
      expect(missing.issues[0]).toMatchObject({ argument: 1, path: [] });
      expect(calls).toEqual([]);
    });

    it("a form field name that cannot be placed is an issue of that field", async () => {
      const error = await rejection(stub.with(7)(formOf([["title", "A"], ["title.x", "B"], ["__proto__.polluted", "1"]])));
      expect(error.issues.map(({ path }) => path[0])).toEqual(["title.x", "__proto__.polluted"]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("a read (GET) checks its arguments: valid, then a 422 without running", async () => {
      const read = createServerReference<(term: string) => Promise<string>>(`validation/${library}/find`);
      markStubAsQuery(read as never, `find-${library}`);
      expect(await read("ab")).toBe("found ab");
      const error = await rejection(read("a"));
      expect(error.issues).toEqual([{ argument: 0, path: [], message: "Type at least two characters" }]);
      expect(calls).toEqual(["find ab"]);
    });

    it("a query called on the server (a page's preload) is checked: the page fails with 422", async () => {
      const page = await app(`/${library}/find/ab`);
      expect(await bodyText(page)).toContain('<p id="found">found ab</p>');
      // The page streams: the refusal takes the component's place, with its status.
      const refused = await app(`/${library}/find/a`);
      expect(await bodyText(refused)).toMatch(/<p role="alert" data-sortie-error="422">/);
      expect(calls).toEqual(["find ab"]);
    });

    it("a direct call in server code is checked too, so the function only ever sees the schemas' output", async () => {
      await expect(save(7, { title: " Notes ", count: "2" as never, address: { city: "Oslo" } } as never)).resolves.toEqual({
        id: 7,
        note: { title: "Notes", count: 2, tags: [], address: { city: "Oslo" } },
      });
      await rejection(save(0, { title: "x", count: 1, tags: [], address: { city: "Oslo" } }));
      await rejection(save.with(7)({ title: "", count: 1, tags: [], address: { city: "Oslo" } }));
      expect(calls).toEqual(["save 7"]);
    });

    it("a plain form post: valid, the function gets the output and the page its result", async () => {
      const browser = new FormBrowser(app);
      const posted = await browser.submit(actionUrl(save.with(7)), [...Object.entries(valid), [RETURN_FIELD, `/${library}/note`]]);
      expect([posted.status, posted.headers.get("Location")]).toEqual([303, `/${library}/note`]);
      const { html } = await browser.open(`/${library}/note`);
      expect(JSON.parse(textOf(html, "result")!)).toEqual({ id: 7, note: { title: "Groceries", count: 3, tags: ["milk"], address: { city: "Lyon" } } });
    });

    it("a plain form post: invalid, a 303 whose page shows each message by its input (aria-invalid, aria-describedby) and the input again", async () => {
      const browser = new FormBrowser(app);
      const fields: [string, string][] = [["title", "   "], ["count", "zero"], ["address.city", ""], [RETURN_FIELD, `/${library}/note`], [ECHO_FIELD, "title"]];
      const posted = await browser.submit(actionUrl(save.with(7)), fields);
      expect(posted.status).toBe(303);
      expect(calls).toEqual([]);
      const { html } = await browser.open(`/${library}/note`);
      const issues = JSON.parse(textOf(html, "issues")!) as Record<string, string>;
      expect(Object.keys(issues)).toEqual(["title", "count", "address.city"]);
      expect(issues.title).toBe("A title is required");
      // The title input: invalid, described by the message element the Worker filled in.
      expect(html).toMatch(/<input name="title" value="   " aria-invalid="true" aria-describedby="sortie-issue-0-title" ?\/?>/);
      expect(html).toContain('<p data-sortie-issue="title" id="sortie-issue-0-title">A title is required</p>');
      // An input with its own description keeps it; a message element with its own id holds the message on a span.
      expect(html).toMatch(/<input name="count" aria-describedby="count-hint sortie-issue-0-count" aria-invalid="true" ?\/?>/);
      expect(html).toMatch(/<p id="own-id" data-sortie-issue="count"><span id="sortie-issue-0-count">[^<]+<\/span><\/p>/);
      expect(html).toContain('<p data-sortie-issue="address.city" id="sortie-issue-0-address_city">Which city?</p>');
      // Shown once: the next render has no submission.
      const again = await browser.open(`/${library}/note`);
      expect(again.html).not.toContain("aria-invalid");
    });
  });
}

const ping = action(registerServerFunction("validation/ping", async () => "pong"), { input: [] });

describe("a function that takes nothing (input: [])", () => {
  it("refuses any argument, but a form may post to it: one FormData beyond the parameters is left out", async () => {
    const stub = createServerReference<(...args: unknown[]) => Promise<string>>("validation/ping");
    expect(await stub()).toBe("pong");
    expect(await stub(formOf({ ignored: "1" }))).toBe("pong");
    expect((await rejection(stub("x"))).issues).toEqual([{ argument: 0, path: [], message: "Expected at most 0 arguments, got 1" }]);
    await rejection(stub(formOf({}), formOf({})));
    const browser = new FormBrowser(app);
    const posted = await browser.submit(actionUrl(ping), { [RETURN_FIELD]: "/zod/note" });
    expect(posted.status).toBe(303);
  });
});

describe("declaring an input", () => {
  it("something that is not a Standard Schema fails where it is declared, naming the option", () => {
    const fn = registerServerFunction("validation/bad", async () => 1);
    expect(() => action(fn, { input: { parse: () => 1 } as never })).toThrow(/action\(fn\): \{ input \} must be a Standard Schema \(zod 4, valibot, arktype…\) or an array of them/);
    expect(() => query(fn, "bad", { input: [libraries.zod.term, "x"] as never })).toThrow(/query\(fn, "bad"\): \{ input \}/);
  });

  it("a 422 is a ServerError too, for code that catches those", async () => {
    const error = await createServerReference<(term: string) => Promise<string>>("validation/zod/find")("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
  });
});
