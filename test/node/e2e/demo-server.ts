// The demo app (app/) built with the real build into a throwaway wrangler project, its D1
// migrations copied in, served by `wrangler dev`. Built apart from dist/ so a test run is
// not disturbed by (and does not disturb) `npm run dev` or a rebuild in the working tree.
import { cp } from "node:fs/promises";
import { join, resolve } from "node:path";
import { buildProject, type BuiltProject } from "../queries/project.ts";
import { startDevServer, type DevServer } from "./dev-server.ts";

export interface DemoServer {
  url: string;
  project: BuiltProject;
  server: DevServer;
  stop(): Promise<void>;
}

const MIGRATIONS = resolve(import.meta.dirname, "../../../app/db/migrations");

export async function startDemo(mode: "development" | "production" = "production"): Promise<DemoServer> {
  const project = await buildProject({ workerEntry: "app/worker.ts", clientEntry: "app/client.ts" });
  try {
    await cp(MIGRATIONS, join(project.root, "migrations"), { recursive: true });
    const server = await startDevServer({ root: project.root, mode });
    return {
      url: server.url,
      project,
      server,
      stop: async () => {
        await server.stop();
        await project.remove();
      },
    };
  } catch (error) {
    await project.remove();
    throw error;
  }
}
