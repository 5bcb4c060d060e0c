#!/usr/bin/env node
/**
 * `npm run size`: the localization script's budgets.
 *
 *   - the client code alone (raw and gzip), both variants;
 *   - the inline snippet (`<script>…</script>`) with an 8-store config, gzip:
 *     must be at most 1,024 bytes, else exit 1.
 *
 * Builds the client first, so the figures are for the current source.
 */
import { gzipSync } from "node:zlib";
import { buildClient, loadLocalizeModule } from "./build-client.mjs";

export const BUDGET = 1024;

/** A realistic 8-store site: the OneLink-style set, tags of the usual shapes. */
export const eightStores = new Map([
  ["us", ["mysite-20"]],
  ["ca", ["mysite0c-20"]],
  ["uk", ["mysite-21"]],
  ["de", ["mysite0d-21"]],
  ["fr", ["mysite0f-21"]],
  ["it", ["mysite0e-21"]],
  ["es", ["mysite0a-21"]],
  ["jp", ["mysite-22"]],
]);

const gz = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
const { code, geo } = await buildClient();
const { createLocalize, resolveLocalizeOptions } = await loadLocalizeModule();
const clientCode = (withGeo) => (withGeo ? geo : code);
const localize = (option) => createLocalize(resolveLocalizeOptions(option, eightStores), { clientCode });

const inline = localize({});
const withGeo = localize({ geo: "/cdn-cgi/trace" });
const file = localize({ script: "file" });

const rows = [
  ["client code (dist/client/localize.min.js)", Buffer.byteLength(code), gz(code)],
  ["client code, geo variant (localize-geo.min.js)", Buffer.byteLength(geo), gz(geo)],
  ["inline snippet, 8-store config", Buffer.byteLength(inline.html), gz(inline.html)],
  ["inline snippet, 8 stores + geo", Buffer.byteLength(withGeo.html), gz(withGeo.html)],
  ["file mode script, 8 stores", Buffer.byteLength(file.files[0].contents), gz(file.files[0].contents)],
  ["file mode tag in each page", Buffer.byteLength(file.html), gz(file.html)],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${"".padEnd(width)}  ${"raw".padStart(6)}  ${"gzip".padStart(6)}`);
for (const [label, raw, zipped] of rows) console.log(`${label.padEnd(width)}  ${String(raw).padStart(6)}  ${String(zipped).padStart(6)}`);

const budgeted = gz(inline.html);
console.log(`\nbudget: inline snippet with 8 stores ${budgeted} / ${BUDGET} bytes gzip (client alone ${gz(code)})`);
if (budgeted > BUDGET) {
  console.error(`size: OVER BUDGET by ${budgeted - BUDGET} bytes`);
  process.exitCode = 1;
} else if (gz(code) >= budgeted) {
  console.error("size: the client alone should be smaller than the snippet");
  process.exitCode = 1;
}
