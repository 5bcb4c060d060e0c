#!/usr/bin/env node
/**
 * Bundle + minify the browser script (src/client/localize.ts) into
 * dist/client/localize.min.js. The Node side (src/localize/) reads that file at
 * runtime and fills in the per-site config.
 *
 *   node scripts/build-client.mjs        (npm run build:client)
 *
 * Also exports buildClient() for tests and the size/bench scripts, and
 * loadLocalizeModule() which bundles src/localize/index.ts for plain Node
 * scripts (no TypeScript loader needed).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const clientEntry = join(root, "src/client/localize.ts");
export const clientOutput = join(root, "dist/client/localize.min.js");
/** The variant with the optional geo endpoint (used only when `localize.geo` is set). */
export const clientGeoOutput = join(root, "dist/client/localize-geo.min.js");
export const PLACEHOLDER = "__AMAZON_LINKS_CONFIG__";
/** The HTML report page's script and styles, inlined into the report by src/report/html-page.ts. */
export const reportPageScriptOutput = join(root, "dist/client/report-page.min.js");
export const reportPageStyleOutput = join(root, "dist/client/report-page.min.css");
const target = ["es2020", "chrome91", "firefox90", "safari15"];

async function bundle(geo) {
  const result = await build({
    entryPoints: [clientEntry],
    bundle: true,
    minify: true,
    format: "iife",
    define: { GEO: String(geo) },
    target,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  // Strict mode buys nothing here and costs 13 bytes in every page.
  const code = result.outputFiles[0].text.trim().replace(/^"use strict";/, "");
  const uses = code.split(PLACEHOLDER).length - 1;
  if (uses !== 1) throw new Error(`build-client: expected the config placeholder exactly once, found ${uses}`);
  // The code is inlined into <script>: it must not be able to end or confuse the element.
  if (/<\/script|<!--|<script/i.test(code)) throw new Error("build-client: minified code contains <script, </script or <!--");
  return code;
}

/** The report page's script and styles, minified; both are inlined, so neither may end its element. */
async function bundleReportPage() {
  const built = await Promise.all(
    ["report-page.ts", "report-page.css"].map((file) =>
      build({
        entryPoints: [join(root, "src/client", file)],
        bundle: true,
        minify: true,
        format: "iife",
        target,
        legalComments: "none",
        write: false,
        logLevel: "silent",
      }),
    ),
  );
  const [script, style] = built.map((result) => result.outputFiles[0].text.trim());
  if (/<\/script|<!--|<script/i.test(script)) throw new Error("build-client: the report page script contains <script, </script or <!--");
  if (/<\/style|<!--/i.test(style)) throw new Error("build-client: the report page styles contain </style or <!--");
  return { script, style };
}

function writeAtomically(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Build both variants; returns { code, geo } (minified). Written atomically:
 * test files may build concurrently.
 */
export async function buildClient({ write = true } = {}) {
  const [code, geo, reportPage] = await Promise.all([bundle(false), bundle(true), bundleReportPage()]);
  if (write) {
    writeAtomically(clientOutput, `${code}\n`);
    writeAtomically(clientGeoOutput, `${geo}\n`);
    writeAtomically(reportPageScriptOutput, `${reportPage.script}\n`);
    writeAtomically(reportPageStyleOutput, `${reportPage.style}\n`);
  }
  return { code, geo };
}

/**
 * Import src/localize/index.ts from a plain Node script: bundle it with
 * esbuild to a temp module. The bundled module cannot find the client file
 * relative to itself, so call createLocalizeFromCode(option, tags, code).
 */
export async function loadLocalizeModule() {
  const result = await build({
    entryPoints: [join(root, "src/localize/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const file = join(tmpdir(), `amazon-links-localize-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(file, result.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { code, geo } = await buildClient();
  console.log(`build-client: ${clientOutput.slice(root.length)} (${Buffer.byteLength(code)} bytes)`);
  console.log(`build-client: ${clientGeoOutput.slice(root.length)} (${Buffer.byteLength(geo)} bytes)`);
  console.log(`build-client: ${reportPageScriptOutput.slice(root.length)}, ${reportPageStyleOutput.slice(root.length)}`);
}
