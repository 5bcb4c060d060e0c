#!/usr/bin/env node
/**
 * `npm run example`: build the example blog and print its link report.
 *
 * Amazon is not reachable from every machine (CI, this repository's sandbox),
 * and an example should run anywhere, offline. So for this build the product
 * checks go to the test suite's fake Amazon (test/fake-amazon), started on
 * 127.0.0.1 and routed in through the plugin's `check.endpoints` option, the
 * same option a publisher uses for a proxy. In your own site, checks go to
 * Amazon itself. The lockfile this writes is a fake's verdicts: it is
 * git-ignored and never shipped.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundled = join(tmpdir(), `amazon-links-fake-${process.pid}.mjs`);
await build({
  entryPoints: [join(root, "test/fake-amazon/server.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundled,
  logLevel: "silent",
});
const { startFakeAmazon } = await import(pathToFileURL(bundled).href);

// What "Amazon" knows for this example: where each product is sold. Anything
// not listed answers 404, as Amazon does for a product a store does not sell.
const fake = await startFakeAmazon({
  products: {
    "*:B07PGL2WVS": "Leuchtturm1917 Medium A5 Dotted Hardcover Notebook",
    "us:B00OFWQS94": "BenQ e-Reading LED Desk Lamp",
    "uk:B00OFWQS94": "BenQ e-Reading LED Desk Lamp",
    "de:B00OFWQS94": "BenQ e-Reading LED Schreibtischlampe",
    "us:B07QBPDWLS": "Keychron K2 Wireless Mechanical Keyboard",
    "de:B07WNQ2H4K": "Bürostuhl, ergonomisch",
    "us:0596517742": "JavaScript: The Good Parts",
    "uk:0596517742": "JavaScript: The Good Parts",
    "uk:0132350882": "Clean Code: A Handbook of Agile Software Craftsmanship",
    "us:0132350882": "Clean Code: A Handbook of Agile Software Craftsmanship",
    "de:B0BTHKLKJ5": "Der Process",
    "jp:B00KGCZ9VK": "パイロット 万年筆 カクノ",
    "au:B00KGCZ9VK": "Pilot Kakuno Fountain Pen",
    "ca:B0052KW5W6": "Midori MD Notebook A5",
    "it:B0052KW5W6": "Midori MD Quaderno A5",
  },
  // amazon.it shows this robot its captcha page: the build says "unverified", never "dead".
  behaviours: [{ host: "www.amazon.it", respond: { captcha: 200 } }],
});

try {
  // Asynchronous on purpose: the fake answers from this process while Eleventy builds in the child.
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/@11ty/eleventy/cmd.cjs"), "--config=example-site/eleventy.config.js", ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, AMAZON_LINKS_EXAMPLE_ENDPOINTS: JSON.stringify(fake.endpoints()) } },
  );
  const [code] = await once(child, "exit");
  process.exitCode = code ?? 1;
} finally {
  await fake.close();
  rmSync(bundled, { force: true });
}
