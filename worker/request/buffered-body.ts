const encoder = new TextEncoder();

/**
 * A response body written as text: kept as one string while nothing waits (the whole body is
 * then that string, which costs less to send than a stream), or, once `stream()` was called,
 * a byte stream whose first chunk is what was written before. A closed connection cancels it:
 * writes are dropped from then on, and `cancelled` tells the writer to stop.
 */
export class BufferedBody {
  #text = "";
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  cancelled = false;

  write(text: string): void {
    if (this.cancelled) return;
    if (this.#controller) this.#controller.enqueue(encoder.encode(text));
    else this.#text += text;
  }

  /** Everything written, when the body never became a stream. */
  text(): string {
    return this.#text;
  }

  /**
   * From now on, writes go to the stream returned (pushed as written: the text is in memory
   * already, so waiting for the reader would keep no less). `onCancel` runs when the reader
   * goes away.
   */
  stream(onCancel?: () => void): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        if (this.#text) controller.enqueue(encoder.encode(this.#text));
        this.#text = "";
      },
      cancel: () => {
        this.cancelled = true;
        onCancel?.();
      },
    });
  }

  /** Ends the stream (if it became one and is still read). */
  close(): void {
    if (!this.cancelled) this.#controller?.close();
  }

  /** Ends the stream with an error (if it became one and is still read). */
  fail(error: unknown): void {
    if (!this.cancelled) this.#controller?.error(error);
  }
}
