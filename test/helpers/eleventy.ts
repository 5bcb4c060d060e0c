/** Real Eleventy builds of fixture sites, through the programmatic API. */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error Eleventy 3 ships no type declarations usable here.
import Eleventy from "@11ty/eleventy";
import amazonLinks from "../../src/index.js";
import type { AmazonLinksOptions } from "../../src/options.js";
import type { Report } from "../../src/results.js";

export interface BuildResult {
  outputDir: string;
  reportPath: string;
  report: Report;
  error: unknown;
  read(path: string): Promise<string>;
}

export async function tempDir(prefix = "amazon-links-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function buildFixture(
  input: string,
  options: AmazonLinksOptions,
  extraConfig?: (cfg: any) => void,
  eleventyOptions: Record<string, unknown> = {},
  /** Config applied after the plugin is added (plugin order tests). */
  afterConfig?: (cfg: any) => void,
): Promise<BuildResult> {
  const outputDir = await tempDir("amazon-links-out-");
  const reportPath = join(outputDir, "..", `${outputDir.split("/").pop()}-report.json`);
  const elev = new Eleventy(input, outputDir, {
    configPath: false,
    quietMode: true,
    ...eleventyOptions,
    config(cfg: any) {
      extraConfig?.(cfg);
      // No network in tests unless a test routes checks to the fake Amazon.
      cfg.addPlugin(amazonLinks, { quiet: true, check: false, ...options, report: { json: reportPath } });
      afterConfig?.(cfg);
    },
  });
  elev.disableLogger?.();
  let error: unknown;
  try {
    await elev.write();
  } catch (e) {
    error = e;
  }
  let report: Report;
  try {
    report = JSON.parse(await readFile(reportPath, "utf8")) as Report;
  } catch {
    report = undefined as unknown as Report;
  }
  return { outputDir, reportPath, report, error, read: (path) => readFile(join(outputDir, path), "utf8") };
}

/** Every `<a …>`/`<area …>` start tag in a page. */
export function startTags(html: string): string[] {
  return [...html.matchAll(/<(?:a|area)\s[^>]*>/gi)].map((m) => m[0]);
}
