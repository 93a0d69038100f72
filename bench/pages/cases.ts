/**
 * The pages bench/pages/worker.tsx serves, first the hand-written route every other is
 * compared with; `streamed` is the index of the page the target is for.
 */
export function pageCases(origin: string): { cases: { name: string; url: string }[]; streamed: number } {
  return {
    cases: [
      { name: "hand-written hono/jsx route", url: `${origin}/plain/products/1` },
      { name: "hand-written + security headers", url: `${origin}/plain-headers/products/1` },
      { name: "Sortie page (streamed)", url: `${origin}/products/1` },
      { name: "Sortie page, stream: false", url: `${origin}/whole/products/1` },
      { name: "Sortie page, server-function form", url: `${origin}/action/products/1` },
    ],
    streamed: 2,
  };
}
