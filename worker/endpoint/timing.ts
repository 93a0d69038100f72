/**
 * `Server-Timing` of one call: each step's duration, in the header of stub and read answers
 * (decode, middleware, call, commit, encode), and for what streams after the headers (each
 * query single flight re-runs) in a `t` record after the last query record. On under development, and in
 * production with `createSortie({ serverTiming: true })`. Workers' clocks advance only across
 * I/O, so in production a step that only computes may read 0.
 */
export class ServerTiming {
  readonly #entries: string[] = [];
  #last = performance.now();

  /** Records the time since the previous lap (or the start) as `name`. */
  lap(name: string, description?: string): void {
    const now = performance.now();
    this.add(name, now - this.#last, description);
    this.#last = now;
  }

  /** Starts the next lap now, recording nothing (the steps in between recorded themselves). */
  skip(): void {
    this.#last = performance.now();
  }

  add(name: string, milliseconds: number, description?: string): void {
    const desc = description === undefined ? "" : `;desc=${JSON.stringify(description.replace(/["\\\r\n]/g, " "))}`;
    this.#entries.push(`${name}${desc};dur=${milliseconds.toFixed(1)}`);
  }

  /** Everything recorded so far, as a header value; then starts over (for the trailer). */
  take(): string {
    const value = this.#entries.join(", ");
    this.#entries.length = 0;
    this.#last = performance.now();
    return value;
  }
}
