#!/usr/bin/env node
/**
 * `npm run bench:client`: how long the localization script takes to rewrite a
 * page of 1,000 Amazon links in headless Chromium (Debian's /usr/bin/chromium
 * via playwright-core). Measured inside the page with performance.now():
 *
 *   - rewrite: the script's DOMContentLoaded pass over all links (between a
 *     listener registered just before the script and one just after it);
 *   - whole script: the same script inserted after load (it then runs at once):
 *     compile, config parse, detection, listeners and the rewrite, cold.
 *
 * Prints per-run figures and the median. Not a test: nothing is asserted
 * (the budget is 5 ms for the rewrite). Options: --links N, --runs N.
 */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { buildClient, loadLocalizeModule } from "../scripts/build-client.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINKS = arg("links", 1000);
const RUNS = arg("runs", 15);
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!executablePath) {
  console.error("bench: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}

const tags = new Map(
  Object.entries({
    us: "mysite-20",
    ca: "mysite0c-20",
    uk: "mysite-21",
    de: "mysite0d-21",
    fr: "mysite0f-21",
    it: "mysite0e-21",
    es: "mysite0a-21",
    jp: "mysite-22",
  }).map(([k, v]) => [k, [v]]),
);
const { code, geo } = await buildClient({ write: false });
const { createLocalize, resolveLocalizeOptions } = await loadLocalizeModule();
const setup = createLocalize(resolveLocalizeOptions({}, tags), { clientCode: (g) => (g ? geo : code) });

// What the rewriter writes: a mix of availability states, like a real "best of" page.
const links = [];
for (let i = 0; i < LINKS; i++) {
  const asin = `B0${String(i).padStart(8, "0")}`;
  const live =
    i % 4 === 0
      ? ""
      : i % 4 === 1
        ? ' data-amazon-live="de uk us"'
        : i % 4 === 2
          ? ' data-amazon-live="us" data-amazon-title="Product number ' + i + '"'
          : ' data-amazon-live="us"';
  links.push(
    `<li><a href="https://www.amazon.com/dp/${asin}?tag=mysite-20" rel="sponsored noopener" data-amazon-asin="${asin}" data-amazon-store="us"${live}>Product ${i}</a> — some words about it.</li>`,
  );
}
const list = `<ul>${links.join("\n")}</ul>`;
const page = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${list}
<script>document.addEventListener("DOMContentLoaded",()=>{window.__t0=performance.now()})</script>
${setup.html}
<script>document.addEventListener("DOMContentLoaded",()=>{window.__t1=performance.now()})</script>
</body></html>`;
const bare = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${list}</body></html>`;
const scriptText = /^<script>([\s\S]*)<\/script>$/.exec(setup.html)[1];

const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
try {
  const context = await browser.newContext({ timezoneId: "Europe/Berlin", locale: "de-DE" });
  await context.route("**/*", (route) => route.abort()); // no network at all
  const rewrite = [];
  const init = [];
  for (let run = 0; run < RUNS; run++) {
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: "load" });
    const r = await tab.evaluate(() => ({
      rewrite: window.__t1 - window.__t0,
      changed: [...document.querySelectorAll("a[data-amazon-store]")].filter((a) => a.getAttribute("href").includes("amazon.de")).length,
    }));
    if (r.changed !== LINKS) throw new Error(`bench: expected ${LINKS} rewritten links, got ${r.changed}`);
    rewrite.push(r.rewrite);
    await tab.setContent(bare, { waitUntil: "load" });
    const whole = await tab.evaluate((text) => {
      const script = document.createElement("script");
      script.textContent = text;
      const t0 = performance.now();
      document.body.append(script); // runs synchronously; the document is loaded, so it rewrites at once
      const t1 = performance.now();
      const changed = [...document.querySelectorAll("a[data-amazon-store]")].filter((a) =>
        a.getAttribute("href").includes("amazon.de"),
      ).length;
      return { ms: t1 - t0, changed };
    }, scriptText);
    if (whole.changed !== LINKS) throw new Error(`bench: expected ${LINKS} rewritten links after load, got ${whole.changed}`);
    init.push(whole.ms);
    await tab.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (x) => x.toFixed(2);
  console.log(`client rewrite, ${LINKS} links, headless Chromium (${RUNS} runs, visitor in Germany, all links rewritten)`);
  console.log(
    `  rewrite pass: median ${fmt(median(rewrite))} ms, min ${fmt(Math.min(...rewrite))}, max ${fmt(Math.max(...rewrite))}  (budget 5 ms)`,
  );
  console.log(
    `  whole script: median ${fmt(median(init))} ms, min ${fmt(Math.min(...init))}, max ${fmt(Math.max(...init))}  (compile + detect + rewrite, inserted after load)`,
  );
  console.log(
    `  load average: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} on ${(await import("node:os")).cpus().length} cores`,
  );
} finally {
  await browser.close();
}
