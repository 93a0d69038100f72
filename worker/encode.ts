import { toCrossJSON, toCrossJSONStream, type SerovalNode, type ToCrossJSONOptions } from "seroval";
import { primitiveNode } from "../common/args.ts";
import { resultPlugins } from "../common/plugins.ts";
import { DISABLED_FEATURES, type ErrorPayload, type QueryRecord, type WireRecord } from "../common/wire.ts";
import { UnsendableValueError } from "./errors.ts";

/** A response body of records, one JSON line each (see WireRecord in common/wire.ts). */
export interface RecordBody {
  /** The function's result, `{ r }`; promises and streams inside it go on as `{ n }` records. Throws UnsendableValueError. */
  result(value: unknown): void;
  /** The function's error, `{ e }`, as `describe` lets the caller see it. */
  error(error: unknown): void;
  redirect(location: string): void;
  /** More records after the first ones: single flight's queries. */
  follow(records: AsyncIterable<QueryRecord>): void;
  /** The body: one string when everything is written already (the common case), else a byte stream. */
  finish(): string | ReadableStream<Uint8Array>;
}

/**
 * All records of one response share one seroval reference space (`refs`), so a query record
 * may point at an object the result carried and the client's one deserializer resolves it.
 * `describe` decides what the caller sees of an error (errors inside values included).
 */
export function createRecordBody(describe: (error: unknown) => ErrorPayload): RecordBody {
  // seroval's options, made on first use: a primitive result never needs them.
  let seroval: ToCrossJSONOptions | undefined;
  const options = () => (seroval ??= { refs: new Map(), plugins: resultPlugins(describe), disabledFeatures: DISABLED_FEATURES });
  const buffered: string[] = [];
  const cancels: Array<() => void> = [];
  const encoder = new TextEncoder();
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  let open = 0;
  let cancelled = false;

  const write = (record: WireRecord) => {
    if (cancelled) return;
    const line = JSON.stringify(record) + "\n";
    if (stream) stream.enqueue(encoder.encode(line));
    else buffered.push(line);
  };
  const settle = () => {
    if (--open === 0 && !cancelled) stream?.close();
  };

  const errorNode = (error: unknown): SerovalNode => {
    try {
      return toCrossJSON(describe(error), options());
    } catch (unsendable) {
      return toCrossJSON(describe(new UnsendableValueError(unsendable)), options());
    }
  };

  /** Writes `first(node)` now and the value's later parts as `{ n }` until it has settled. */
  const streamValue = (value: unknown, first: (node: SerovalNode) => WireRecord) => {
    let sent = false;
    let failure: unknown;
    open++;
    cancels.push(
      toCrossJSONStream(value, {
        ...options(),
        onParse(node) {
          write(sent ? { n: node } : first(node));
          sent = true;
        },
        onError(error) {
          // seroval stops the value here: tell the client, whose pending parts then reject.
          if (sent) write({ e: errorNode(new UnsendableValueError(error)) });
          else failure = error;
          settle();
        },
        onDone: settle,
      }),
    );
    if (!sent) throw new UnsendableValueError(failure);
  };

  const writeQuery = (record: QueryRecord) => {
    const a = toCrossJSON(record.args, options());
    if ("error" in record) return write({ q: record.key, a, e: errorNode(record.error) });
    try {
      streamValue(record.value, (v) => ({ q: record.key, a, v }));
    } catch (unsendable) {
      write({ q: record.key, a, e: errorNode(unsendable) });
    }
  };

  return {
    result(value) {
      // Most mutations answer undefined or a primitive: no serializer needed for those.
      const primitive = primitiveNode(value) as SerovalNode | undefined;
      if (primitive) write({ r: primitive });
      else streamValue(value, (r) => ({ r }));
    },
    error: (error) => write({ e: errorNode(error) }),
    redirect: (location) => write({ l: location }),
    follow(records) {
      open++;
      void (async () => {
        try {
          for await (const record of records) {
            if (cancelled) break;
            writeQuery(record);
          }
        } catch (error) {
          write({ e: errorNode(error) });
        }
        settle();
      })();
    },
    finish() {
      if (open === 0) return buffered.join("");
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (const line of buffered) controller.enqueue(encoder.encode(line));
          stream = controller;
        },
        cancel() {
          // The client went away: stop serializing what nobody will read.
          cancelled = true;
          for (const cancel of cancels) cancel();
        },
      });
    },
  };
}
