import { describe, expect, it } from "vitest";
import { createServerReference, markAsQuery as markStubAsQuery } from "../../../client/stub.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { markAsQuery, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { bodyText, ORIGIN, serve, useClient } from "./serve.ts";

let received: unknown[] = [];
const updateProduct = registerServerFunction("forms/update", async (id: number, form: FormData) => {
  received = [id, form];
  cookies().set("flash", "saved");
  return "ok";
});
const createPost = registerServerFunction("forms/create", async (form: FormData) => {
  received = [form];
  return redirect(`/posts/${encodeURIComponent(String(form.get("title")))}`);
});
const listTodos = registerServerFunction("forms/list", async (filter: string, page = 1) => {
  getRequestEvent().response.headers.set("Cache-Control", "private, max-age=30");
  return { filter, page };
});
markAsQuery(listTodos, "todos");
markAsQuery(registerServerFunction("forms/uncached", async () => "fresh"), "uncached");

const formHeaders = (referer?: string) => ({
  "Content-Type": "application/x-www-form-urlencoded",
  Origin: ORIGIN,
  "Sec-Fetch-Site": "same-origin",
  ...(referer ? { Referer: referer } : {}),
});

describe("plain HTML form posts (no JavaScript)", () => {
  const fetch = serve();

  it("renders <form action={ref}> and <button formAction={ref.with(...)}> as the endpoint URL", () => {
    const html = String(
      <form action={createPost}>
        <button formAction={updateProduct.with(42)}>Save</button>
      </form>,
    );
    const bound = encodeURIComponent('{"t":{"t":9,"i":0,"a":[{"t":0,"s":42}],"o":0},"f":0,"m":[]}');
    expect(html).toBe(`<form action="/_server/forms%2Fcreate"><button formaction="/_server/forms%2Fupdate?bound=${bound.replaceAll("&", "&amp;")}">Save</button></form>`);
  });

  it("calls the function with bound args then the FormData, and answers 303 back to the page", async () => {
    const action = (updateProduct.with(42) as unknown as Record<symbol, string>)[
      Object.getOwnPropertySymbols(updateProduct).find((symbol) => symbol.description === "PERMALINK")!
    ]!;
    const response = await fetch(action, { method: "POST", headers: formHeaders(`${ORIGIN}/products/42?tab=edit`), body: "name=Lamp&price=12" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/products/42?tab=edit");
    expect(response.headers.get("Set-Cookie")).toContain("flash=saved");
    expect(received[0]).toBe(42);
    expect(Object.fromEntries(received[1] as FormData)).toEqual({ name: "Lamp", price: "12" });
  });

  it("follows redirect() with 303 See Other", async () => {
    const response = await fetch("/_server/forms%2Fcreate", { method: "POST", headers: formHeaders(`${ORIGIN}/new`), body: "title=Hello" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/posts/Hello");
  });

  it("never redirects off-site: a foreign Referer falls back to /", async () => {
    const response = await fetch("/_server/forms%2Fupdate?bound=" + encodeURIComponent('{"t":{"t":9,"i":0,"a":[{"t":0,"s":1}],"o":0},"f":0,"m":[]}'), {
      method: "POST",
      headers: formHeaders("https://evil.example/page"),
      body: "name=x",
    });
    expect(response.headers.get("Location")).toBe("/");
    const noReferer = await fetch("/_server/forms%2Fcreate", { method: "POST", headers: formHeaders(), body: "title=x" });
    expect(noReferer.headers.get("Location")).toBe("/posts/x");
  });

  it("takes a multipart form with a file", async () => {
    const form = new FormData();
    form.append("title", "With file");
    form.append("attachment", new File(["%PDF"], "a.pdf", { type: "application/pdf" }));
    const response = await fetch("/_server/forms%2Fcreate", { method: "POST", headers: { Origin: ORIGIN }, body: form });
    expect(response.status).toBe(303);
    const file = (received[0] as FormData).get("attachment") as File;
    expect([file.name, file.type, await file.text()]).toEqual(["a.pdf", "application/pdf", "%PDF"]);
  });
});

describe("reads over GET", () => {
  const fetch = serve();
  useClient(fetch);

  it("a query stub calls GET /_server/<id>?args=… and the function may set cache headers", async () => {
    const stub = createServerReference<(filter: string, page?: number) => Promise<unknown>>("forms/list");
    markStubAsQuery(stub, "todos");
    expect(await stub("open", 2)).toEqual({ filter: "open", page: 2 });
    expect(await stub.with("done")()).toEqual({ filter: "done", page: 1 });

    const response = await fetch(`/_server/forms%2Flist?args=${encodeURIComponent('{"t":{"t":9,"i":0,"a":[{"t":1,"s":"all"}],"o":0},"f":0,"m":[]}')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, max-age=30");
    expect(await bodyText(response)).toContain('"all"');
  });

  it("answers no-store unless the function chose otherwise, and HEAD like GET", async () => {
    const response = await fetch("/_server/forms%2Funcached");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toBe("application/x-sortie-stream");
    expect(await bodyText(response)).toBe('{"r":{"t":1,"s":"fresh"}}\n');
    expect((await fetch("/_server/forms%2Funcached", { method: "HEAD" })).status).toBe(200);
  });
});
