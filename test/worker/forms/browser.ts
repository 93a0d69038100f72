import { ORIGIN, type Fetch } from "../endpoint/serve.ts";

/**
 * A browser with JavaScript off: it submits forms the way HTML does (urlencoded or multipart,
 * with Origin and Sec-Fetch-Site), follows nothing by itself, and keeps the cookies it is
 * sent (an expired one is dropped).
 */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  readonly #fetch: Fetch;

  constructor(fetch: Fetch) {
    this.#fetch = fetch;
  }

  /** GET a page as HTML. */
  async open(path: string): Promise<{ response: Response; html: string }> {
    const response = await this.request(path, { headers: { Accept: "text/html" } });
    return { response, html: await response.text() };
  }

  /** POST a form: `fields` as given (FormData goes multipart, anything else urlencoded; pairs may repeat a name). */
  submit(action: string, fields: FormData | Record<string, string> | [string, string][], headers: Record<string, string> = {}): Promise<Response> {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    return this.request(action, {
      method: "POST",
      headers: { Accept: "text/html", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin", ...headers },
      body,
    });
  }

  async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map((pair) => pair.join("=")).join("; "));
    const response = await this.#fetch(new URL(path, ORIGIN).href, { ...init, headers });
    for (const header of response.headers.getSetCookie()) {
      const [, name, value] = /^([^=]+)=([^;]*)/.exec(header)!;
      if (/max-age=0/i.test(header)) this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return response;
  }
}

/** The text of the element with this id (the fixture's elements hold plain text). */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<p id="${id}">([^<]*)</p>`).exec(html);
  return match?.[1]?.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&#39;", "'");
}
