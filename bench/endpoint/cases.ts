import { encodeArguments } from "../../common/wire.ts";

/** One request the endpoint benchmark sends, and the answer that proves it did the work. */
export interface EndpointCase {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  expected: string;
}

/**
 * The plain Hono route, the same route behind Sortie's guards, and the Sortie call of
 * bench/endpoint/worker.ts, with the headers a page's fetch sends.
 */
export function endpointCases(origin: string): { plain: EndpointCase; guarded: EndpointCase; sortie: EndpointCase } {
  const browser = { "Content-Type": "application/json", Origin: origin, "Sec-Fetch-Site": "same-origin" };
  const plainJSON = { headers: browser, body: JSON.stringify({ a: 1, b: 2 }), expected: "3" };
  return {
    plain: { name: "Hono route, plain JSON", url: `${origin}/plain/add`, ...plainJSON },
    guarded: { name: "Hono route + guards", url: `${origin}/guarded/add`, ...plainJSON },
    sortie: {
      name: "Sortie server function",
      url: `${origin}/_server/add_5f0c2a9e1d`,
      headers: { ...browser, "X-Sortie": "1" },
      body: encodeArguments([1, 2]),
      expected: '{"r":{"t":0,"s":3}}\n',
    },
  };
}
