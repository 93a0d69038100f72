// A SIMULATION of D1 read replication, which local D1 does not have: the real local D1 table
// `<table>` is the primary, and `<table>_replica` a replica that lags until replicate() copies
// the primary over. A session reads the replica when the replica has caught up with the
// session's bookmark, else the primary; a write goes to the primary and moves the session's
// bookmark to it. `prepare()` on the binding itself reads like `first-unconstrained`: the
// replica. Bookmarks are shaped like D1's (only the second field counts here).
import type { D1Database } from "@cloudflare/workers-types";

const bookmarkAt = (position: number) => `00000000-${position.toString(16).padStart(8, "0")}-00000000-${"0".repeat(32)}`;
const positionOf = (bookmark: string) => (/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/.test(bookmark) ? parseInt(bookmark.split("-")[1]!, 16) : 0);

export interface LaggingD1 {
  binding: unknown;
  /** The replica catches up with the primary. */
  replicate(): Promise<void>;
  /** Sessions started, with their constraint. */
  readonly constraints: string[];
}

export function laggingD1(real: D1Database, table: string): LaggingD1 {
  let written = 0;
  let replicated = 0;
  const constraints: string[] = [];

  function session(start: number) {
    let at = start;
    const prepare = (sql: string) => {
      const writes = /^\s*(insert|update|delete)/i.test(sql);
      const statement = (args: unknown[]) => {
        const target = () => (writes || at > replicated ? sql : sql.replaceAll(` ${table}`, ` ${table}_replica`));
        const after = <T>(result: T) => {
          if (writes) at = ++written;
          return result;
        };
        return {
          bind: (...more: unknown[]) => statement([...args, ...more]),
          first: async <T>() => after(await real.prepare(target()).bind(...args).first<T>()),
          all: async <T>() => after(await real.prepare(target()).bind(...args).all<T>()),
          run: async () => after(await real.prepare(target()).bind(...args).run()),
        };
      };
      return statement([]);
    };
    return { prepare, getBookmark: () => bookmarkAt(at) };
  }

  return {
    constraints,
    binding: {
      withSession(constraint: string) {
        constraints.push(constraint);
        return session(constraint === "first-primary" ? written : positionOf(constraint));
      },
      prepare: (sql: string) => session(Number.MAX_SAFE_INTEGER).prepare(sql),
    },
    async replicate() {
      await real.batch([real.prepare(`DELETE FROM ${table}_replica`), real.prepare(`INSERT INTO ${table}_replica SELECT * FROM ${table}`)]);
      replicated = written;
    },
  };
}
