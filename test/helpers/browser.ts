/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by
 * playwright-core (never a downloaded browser). Where Chromium is missing the
 * suites say so loudly and skip, except under CI=true, where that is a failure.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (p): p is string => typeof p === "string" && p !== "",
);

export const chromiumPath: string | undefined = candidates.find((p) => existsSync(p));

const isCI = process.env.CI === "true" || process.env.CI === "1";

/** True when browser suites should run. Prints the install command when they cannot. */
export function browserAvailable(): boolean {
  if (chromiumPath) return true;
  const message =
    "\n[browser tests] Chromium not found at /usr/bin/chromium. Install it with:\n" +
    "    sudo apt-get update && sudo apt-get install -y chromium\n" +
    "(or set CHROMIUM_PATH). Browser tests are SKIPPED.\n";
  if (isCI) throw new Error(`${message}Under CI=true a missing browser is a failure.`);
  console.warn(message);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error("launchBrowser: Chromium is not installed (see browserAvailable()).");
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // playwright gives every launch a fresh, empty profile directory of its own.
    ],
  });
}
