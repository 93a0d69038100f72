// A small app for the no-JavaScript form tests: a product page whose forms post to server
// functions that succeed, fail deliberately, crash, redirect or set cookies.
import { raw } from "hono/html";
import { ServerError } from "../../../common/errors.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSession } from "../../../worker/session/session.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";

/** What the last call of each function received. */
export const received: Record<string, unknown[]> = {};

export const rename = registerServerFunction("forms/rename", async (id: string, form: FormData) => {
  received.rename = [id, form];
  const name = form.get("name");
  if (typeof name !== "string" || !name.trim()) throw new ServerError("Give the product a name", { status: 422, data: { field: "name" } });
  cookies().set("theme", "dark");
  (await useSession<{ renames?: number }>()).update((data) => ({ renames: (data.renames ?? 0) + 1 }));
  return { renamed: name, size: name.length };
});

export const create = registerServerFunction("forms/create", async (form: FormData) => {
  received.create = [form];
  cookies().set("created", "yes");
  return redirect(`/products/${encodeURIComponent(String(form.get("name")))}`);
});

export const crash = registerServerFunction("forms/crash", async (_form: FormData) => {
  throw new Error("the database is on fire");
});

export const later = registerServerFunction("forms/later", async (_form: FormData) => ({ soon: Promise.resolve(1) }));

export const upload = registerServerFunction("forms/upload", async (form: FormData) => {
  received.upload = [form];
  const file = form.get("attachment");
  return file instanceof File ? `${file.name}: ${await file.text()}` : "no file";
});

function Submitted({ id }: { id: string }) {
  const submission = useSubmission(rename.with(id));
  if (!submission) return <p id="nothing">No submission</p>;
  if (submission.error) return <p id="error">{`${submission.error.status} ${submission.error.message} ${JSON.stringify(submission.error.data ?? null)}`}</p>;
  return <p id="result">{`Renamed to ${submission.result!.renamed} (${submission.result!.size} characters)`}</p>;
}

const byName: Record<string, (...args: any[]) => Promise<unknown>> = { rename, crash, later, upload };

/** What useSubmission says about `action`, as text. */
function Outcome({ action }: { action: (...args: any[]) => Promise<unknown> }) {
  const submission = useSubmission(action);
  if (!submission) return <p id="outcome">none</p>;
  const { result, error, input } = submission;
  const shown = error ? { status: error.status, message: error.message, data: error.data, hidden: error.errorId !== undefined } : { result };
  return <p id="outcome">{JSON.stringify({ ...shown, input: [...(input ?? [])] })}</p>;
}

function AnyRename() {
  const submission = useSubmission(rename);
  return <p id="any">{submission ? `input ${JSON.stringify([...(submission.input ?? [])])}` : "none"}</p>;
}

export const routes = defineRoutes([
  {
    path: "/products/:id",
    component: ({ params }) => (
      <main>
        <Submitted id={params.id} />
        <AnyRename />
        <form method="post" action={rename.with(params.id)}>
          <input name="name" />
          <input type="password" name="confirm" />
          <input name="pin-code" autocomplete="one-time-code" />
          <input type="file" name="photo" />
          <p data-sortie-error="" />
          <button>Save</button>
        </form>
        <form action={create}>
          <input name="name" />
        </form>
        <form action="/search">
          <input name="q" />
          <button formAction={create}>Create instead</button>
        </form>
        {/* Foreign content: a self-closing form there has no end tag. */}
        <svg>{raw("<form/>")}</svg>
        <form action="/search" method="get">
          <input type="password" name="not-ours" />
        </form>
      </main>
    ),
  },
  { path: "/outcome/:fn", component: ({ params }) => <Outcome action={byName[params.fn]!} /> },
  {
    path: "/session",
    // The fields the session will hold (a field set to undefined is removed when it is saved).
    component: async () => (
      <p id="keys">
        {Object.entries((await useSession()).data)
          .flatMap(([key, value]) => (value === undefined ? [] : [key]))
          .join(",")}
      </p>
    ),
  },
]);

export const manifest = { entry: "/assets/entry.js", imports: [], css: [] };
