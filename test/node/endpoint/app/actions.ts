// Server functions of the disconnect test: one streams until its client goes away and then
// records in KV whether its signal fired; the other reads the record back.
import { getRequestEvent } from "sortie";

const WAIT_LIMIT_MS = 20_000;

// The part of the KV binding used here (the Node project's types have no workers-types).
type Store = { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<void> };

/** Answers at once with a stream that writes every 250 ms until event.signal fires (or 20 s pass). */
export async function streamUntilDisconnect(key: string) {
  "use server";
  const { env, signal, waitUntil } = getRequestEvent();
  const kv = env.SESSIONS as Store;
  const aborted = new Promise<string>((resolve) => signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
  const gaveUp = new Promise<string>((resolve) => setTimeout(() => resolve("not aborted"), WAIT_LIMIT_MS));
  const outcome = Promise.race([aborted, gaveUp]);
  // Registered while the request is alive: the write must outlive the disconnect.
  waitUntil(outcome.then((value) => kv.put(`disconnect:${key}`, value)));
  await kv.put(`disconnect:${key}`, "streaming");
  const ticks = new ReadableStream<number>({
    start(controller) {
      let tick = 0;
      const timer = setInterval(() => controller.enqueue(tick++), 250);
      void outcome.then(() => {
        clearInterval(timer);
        controller.close();
      });
    },
  });
  return { ticks };
}

export async function disconnectRecord(key: string) {
  "use server";
  return (getRequestEvent().env.SESSIONS as Store).get(`disconnect:${key}`);
}
