/** The ignore globs for the plugin's own files, matched with picomatch (the matcher Eleventy's globs go through). */
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { ownFileIgnores, reportPathsForBuild } from "../../src/eleventy/own-files.js";
import { resolveOptions } from "../../src/rules/options.js";

const root = "/project";
const matches = (globs: string[], path: string) => globs.some((glob) => picomatch(glob, { dot: true })(path));

describe("ownFileIgnores", () => {
  it("covers each file and the temp files it is written through, and nothing beside them", () => {
    const globs = ownFileIgnores(root, [".amazon-links/report.json", "/project/amazon-links.lock.json", "reports/[draft] (1).html", false]);
    for (const path of [
      ".amazon-links/report.json",
      ".amazon-links/.report.json.1234.9f8e7d6c.tmp",
      "amazon-links.lock.json",
      ".amazon-links.lock.json.77.abcd0123.tmp",
      "reports/[draft] (1).html",
    ]) {
      expect(matches(globs, path), path).toBe(true);
    }
    for (const path of [
      ".amazon-links/report.md",
      "index.md",
      "amazon-links.lock.json.bak",
      "reports/d.html",
      "content/amazon-links.lock.json",
    ]) {
      expect(matches(globs, path), path).toBe(false);
    }
  });

  it("leaves out files outside the project root", () => {
    expect(ownFileIgnores(root, ["../elsewhere/report.json", "/tmp/report.html"]).filter((g) => !g.startsWith("node_modules/"))).toEqual(
      [],
    );
  });
});

describe("reportPathsForBuild", () => {
  const defaults = resolveOptions({}).report;
  it("keeps the default report folder when the output directory is elsewhere", () => {
    expect(reportPathsForBuild(defaults, undefined, root, "_site")).toMatchObject({
      json: ".amazon-links/report.json",
      html: ".amazon-links/report.html",
    });
  });
  it("moves default paths out of an output directory that contains them, and keeps paths the user chose", () => {
    expect(reportPathsForBuild(defaults, undefined, root, ".")).toMatchObject({
      json: "node_modules/.cache/eleventy-plugin-amazon-links/report.json",
      html: "node_modules/.cache/eleventy-plugin-amazon-links/report.html",
    });
    const chosen = resolveOptions({ report: { json: "public/links.json" } }).report;
    expect(reportPathsForBuild(chosen, { json: "public/links.json" }, root, ".")).toMatchObject({
      json: "public/links.json",
      html: "node_modules/.cache/eleventy-plugin-amazon-links/report.html",
    });
  });
});
