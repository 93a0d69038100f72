// Chromium for the browser tests, driven by playwright-core (which downloads nothing). Found
// in this order, so `npm install && npm test` works on a machine with no browser installed:
// 1. CHROMIUM_PATH
// 2. a system Chrome or Chromium (Debian's /usr/bin/chromium, or one on PATH)
// 3. the Chromium that @sparticuz/chromium (a devDependency) ships inside its npm package,
//    unpacked on first use into the system's temporary folder
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { chromium, type Browser } from "playwright-core";

const SYSTEM_BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

let found: Promise<string> | undefined;

/** The browser executable to launch (looked up once per process). */
export function chromiumPath(): Promise<string> {
  return (found ??= findChromium());
}

async function findChromium(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, which does not exist: point it at a Chrome or Chromium executable, or unset it`);
    return chosen;
  }
  const folders = ["/usr/bin", ...(process.env.PATH ?? "").split(delimiter).filter(Boolean)];
  for (const name of SYSTEM_BROWSERS) {
    for (const folder of folders) if (existsSync(join(folder, name))) return join(folder, name);
  }
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
