// Starts the real `wrangler dev` (local mode, workerd, local KV and D1) on a free port with
// its own state folder, for browser tests. The caller must call stop() (in afterAll), which
// kills the whole process group even when a test failed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wranglerEnv } from "../../../scripts/wrangler-env.ts";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
  /** Everything wrangler printed, for failure messages. */
  output(): string;
}

const SECRET = "e2e-session-secret-0123456789abcdefghijklmnopqrstuvwxyz";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startDevServer(options: { root: string; mode?: "development" | "production" }): Promise<DevServer> {
  const persist = mkdtempSync(join(tmpdir(), "sortie-e2e-state-"));
  const env = wranglerEnv({ CI: "true" });
  const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], {
    cwd: options.root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const port = await freePort();
  return startServerProcess({
    command: "wrangler",
    args: [
      "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", persist,
      "--var", `SORTIE_ENV:${options.mode ?? "development"}`, "--var", `SESSION_SECRET:${SECRET}`,
      "--show-interactive-dev-session=false",
    ],
    cwd: options.root,
    env,
    url: `http://127.0.0.1:${port}`,
    cleanup: () => rmSync(persist, { recursive: true, force: true }),
  });
}

/**
 * Starts a server process in its own process group and waits (60 s at most) until `url`
 * answers below 500. stop() ends the whole group (wrangler's workerd too), then `cleanup`.
 */
export async function startServerProcess(options: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  url: string;
  cleanup?: () => void;
}): Promise<DevServer> {
  let log = "";
  const child: ChildProcess = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    options.cleanup?.();
  };

  const { url } = options;
  const deadline = Date.now() + 60_000;
  try {
    while (true) {
      if (child.exitCode !== null) throw new Error(`${options.command} ${options.args.join(" ")} exited with ${child.exitCode}:\n${log}`);
      try {
        const response = await fetch(url + "/", { signal: AbortSignal.timeout(2_000) });
        if (response.status < 500) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`${options.command} did not answer on ${url} within 60 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, output: () => log };
}
