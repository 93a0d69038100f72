import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HTTP proxy that adds `delayMs` each way: the request goes on `delayMs` after it
 * fully arrived, and every part of the response (head, each chunk, the end) leaves `delayMs`
 * after it came back, so a streamed response stays streamed. A simulated network round trip.
 */
export async function startLatencyProxy(upstream: URL, delayMs: number): Promise<{ url: URL; close(): Promise<void> }> {
  const later = (fn: () => void) => setTimeout(fn, delayMs);
  const server: Server = createServer((incoming, outgoing) => {
    const body: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => body.push(chunk));
    incoming.on("end", () =>
      later(() => {
        const proxied = forward(
          new URL(incoming.url ?? "/", upstream),
          { method: incoming.method, headers: { ...incoming.headers, host: upstream.host } },
          (response) => {
            later(() => outgoing.writeHead(response.statusCode ?? 502, response.headers));
            response.on("data", (chunk: Buffer) => later(() => outgoing.write(chunk)));
            response.on("end", () => later(() => outgoing.end()));
          },
        );
        proxied.on("error", (error) => later(() => outgoing.destroy(error)));
        proxied.end(Buffer.concat(body));
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
