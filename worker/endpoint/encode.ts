import { recordLine, resultLine } from "../../common/record-lines.ts";
import { toCrossJSON, toCrossJSONStream, type SerovalNode, type ToCrossJSONOptions } from "seroval";
import { primitiveJSON } from "../../common/args.ts";
import { writtenResults } from "./result-plugins.ts";
import { DISABLED_FEATURES, type ErrorPayload, type QueryRecord, type WireRecord } from "../../common/wire.ts";
import { UnsendableValueError } from "../request/errors.ts";
import { BufferedBody } from "../request/buffered-body.ts";

/** A response body of records, one JSON line each (see WireRecord in common/wire.ts). */
export interface RecordBody {
  /** The function's result, `{ r }`; promises and streams inside it go on as `{ n }` records. Throws UnsendableValueError. */
  result(value: unknown): void;
  /** The function's error, `{ e }`, as `describe` lets the caller see it. */
  error(error: unknown): void;
  redirect(location: string): void;
  /** More records after the first ones: single flight's queries. */
  follow(records: AsyncIterable<QueryRecord>): void;
  /** The Server-Timing of what streamed after the headers (endpoint/timing.ts), as a last `t` record. */
  timing(value: string): void;
  /** The body: one string when everything is written already (the common case), else a byte stream. */
  finish(): string | ReadableStream<Uint8Array>;
}

/**
 * All records of one response share one seroval reference space (`refs`), so a query record
 * may point at an object the result carried and the client's one deserializer resolves it.
 * `describe` decides what the caller sees of an error (errors inside values included).
 */
export function createRecordBody(describe: (error: unknown) => ErrorPayload): RecordBody {
  return new Records(describe);
}

// A class rather than closures: a call's answer is built once per request, on the hot path.
class Records implements RecordBody {
  #describe: (error: unknown) => ErrorPayload;
  // seroval's options, made on first use: a primitive result never needs them.
  #seroval: ToCrossJSONOptions | undefined;
  // One string while nothing is open (most answers are one line), else a stream.
  #body = new BufferedBody();
  #cancels: Array<() => void> | undefined;
  #open = 0;

  constructor(describe: (error: unknown) => ErrorPayload) {
    this.#describe = describe;
  }

  result(value: unknown): void {
    // Most mutations answer undefined or a primitive: no serializer needed for those.
    const primitive = primitiveJSON(value);
    if (primitive !== undefined) this.#body.write(resultLine(primitive));
    else this.#streamValue(value, (r) => ({ r }));
  }

  error(error: unknown): void {
    this.#write({ e: this.#errorNode(error) });
  }

  redirect(location: string): void {
    this.#write({ l: location });
  }

  timing(value: string): void {
    if (value) this.#write({ t: value });
  }

  follow(records: AsyncIterable<QueryRecord>): void {
    this.#open++;
    void (async () => {
      try {
        for await (const record of records) {
          if (this.#body.cancelled) break;
          this.#writeQuery(record);
        }
      } catch (error) {
        this.#write({ e: this.#errorNode(error) });
      }
      this.#settle();
    })();
  }

  finish(): string | ReadableStream<Uint8Array> {
    if (this.#open === 0) return this.#body.text();
    // The client went away: stop serializing what nobody will read.
    return this.#body.stream(() => {
      for (const cancel of this.#cancels ?? []) cancel();
    });
  }

  #options(): ToCrossJSONOptions {
    return (this.#seroval ??= { refs: new Map(), plugins: writtenResults(this.#describe), disabledFeatures: DISABLED_FEATURES });
  }

  #write(record: WireRecord): void {
    this.#body.write(recordLine(record));
  }

  #settle(): void {
    if (--this.#open === 0) this.#body.close();
  }

  #errorNode(error: unknown): SerovalNode {
    try {
      return toCrossJSON(this.#describe(error), this.#options());
    } catch (unsendable) {
      return toCrossJSON(this.#describe(new UnsendableValueError(unsendable)), this.#options());
    }
  }

  /** Writes `first(node)` now and the value's later parts as `{ n }` until it has settled. */
  #streamValue(value: unknown, first: (node: SerovalNode) => WireRecord): void {
    let sent = false;
    let failure: unknown;
    this.#open++;
    (this.#cancels ??= []).push(
      toCrossJSONStream(value, {
        ...this.#options(),
        onParse: (node) => {
          this.#write(sent ? { n: node } : first(node));
          sent = true;
        },
        onError: (error) => {
          // seroval stops the value here: tell the client, whose pending parts then reject.
          if (sent) this.#write({ e: this.#errorNode(new UnsendableValueError(error)) });
          else failure = error;
          this.#settle();
        },
        onDone: () => this.#settle(),
      }),
    );
    if (!sent) throw new UnsendableValueError(failure);
  }

  #writeQuery(record: QueryRecord): void {
    const a = toCrossJSON(record.args, this.#options());
    if ("error" in record) return this.#write({ q: record.key, a, e: this.#errorNode(record.error) });
    try {
      this.#streamValue(record.value, (v) => ({ q: record.key, a, v }));
    } catch (unsendable) {
      this.#write({ q: record.key, a, e: this.#errorNode(unsendable) });
    }
  }
}
