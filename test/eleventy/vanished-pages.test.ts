/**
 * Which kept results an incremental rebuild drops, on real files: a page whose input file is gone, a
 * page whose input now renders elsewhere, a virtual template whose output is gone. A page whose input
 * is still there stands, whatever happened to its old output (Eleventy never deletes outputs, so only
 * its input says whether the page still exists). The whole watch-mode flow runs in incremental.test.ts.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PageResult } from "../../src/eleventy/page-result.js";
import { VanishedPages } from "../../src/eleventy/vanished-pages.js";
import { tempDir } from "../helpers/eleventy.js";

const result = (inputPath: string | undefined, output: string): PageResult => ({
  page: { input: inputPath ?? output, output, links: 0, findings: [] },
  inputPath,
  links: [],
});

describe("VanishedPages", () => {
  it("drops pages whose input is gone or renders elsewhere, and virtual pages whose output is gone; keeps the rest", async () => {
    const root = await tempDir("amazon-links-vanished-");
    const files = ["src/a.md", "src/b.md", "src/c.md", "src/d.md", "_site/a/index.html", "_site/b/index.html", "_site/c/index.html"];
    files.push("_site/d/index.html", "_site/feed.xml", "_site/other-feed.xml");
    await mkdir(join(root, "src"), { recursive: true });
    for (const file of files) {
      await mkdir(join(root, file, ".."), { recursive: true });
      await writeFile(join(root, file), "x");
    }
    const pages: Array<[string, string | undefined]> = [
      ["./_site/a/index.html", "./src/a.md"],
      ["./_site/b/index.html", "./src/b.md"],
      ["./_site/c/index.html", "./src/c.md"],
      ["./_site/d/index.html", "./src/d.md"],
      ["./_site/feed.xml", undefined],
      ["./_site/other-feed.xml", undefined],
    ];
    const vanished = new VanishedPages(root);
    const results = new Map(pages.map(([output, input]) => [output, result(input, output)]));

    // The first watch build renders every page: it learns which inputs are files.
    vanished.beginBuild();
    for (const [output, input] of pages) vanished.note(input, output);
    await vanished.prune(results);
    expect([...results.keys()]).toEqual(pages.map(([output]) => output));

    // Between builds: a's input deleted; b's old output deleted by hand (its input stays); the other
    // feed's output deleted. The rebuild renders c's input to a new output only.
    await rm(join(root, "src/a.md"));
    await rm(join(root, "_site/b/index.html"));
    await rm(join(root, "_site/other-feed.xml"));
    vanished.beginBuild();
    vanished.note("./src/c.md", "./_site/c-new/index.html");
    results.set("./_site/c-new/index.html", result("./src/c.md", "./_site/c-new/index.html"));
    await vanished.prune(results);
    expect([...results.keys()].sort()).toEqual([
      "./_site/b/index.html",
      "./_site/c-new/index.html",
      "./_site/d/index.html",
      "./_site/feed.xml",
    ]);
  });
});
