import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { SourceLocator, toProjectPath } from "../../src/eleventy/source-locator.js";

describe("toProjectPath", () => {
  it("gives what path.relative gives, for the paths Eleventy hands out and the odd ones", () => {
    const root = "/home/me/site";
    const slow = (path: string) => relative(root, resolve(root, path)).split(sep).join("/");
    const paths = [
      "./_site/post/index.html",
      "_site/post/index.html",
      "././_site/a.html",
      "./_site//double/index.html",
      "./_site/./dot/index.html",
      "./_site/../elsewhere/index.html",
      "/home/me/site/_site/abs.html",
      "/elsewhere/abs.html",
      "./_site/x/.",
      "./_site/dir/",
      "./a..b/index.html",
      ".",
      "./",
      "index.html",
    ];
    for (const path of paths) expect(toProjectPath(path, root), path).toBe(slow(path));
  });

  it("gives what path.relative gives for absolute paths, whatever the root looks like", () => {
    const roots = ["/home/me/site", "/home/me/site/", "/", "/home/me/./site", "/home/me//site", "/home/me/x/../site", "/home/me/si"];
    const paths = [
      "/home/me/site/_site/abs.html",
      "/home/me/site/./_site/abs.html",
      "/home/me/site/_site/../abs.html",
      "/home/me/site/",
      "/home/me/site",
      "/home/me/sitex/a.html",
      "/home/me/site/a..b/index.html",
      "/elsewhere/abs.html",
      "/",
    ];
    for (const root of roots) {
      const slow = (path: string) => relative(root, resolve(root, path)).split(sep).join("/");
      for (const path of paths) expect(toProjectPath(path, root), `${root} ${path}`).toBe(slow(path));
    }
  });
});

describe("SourceLocator", () => {
  it("finds each copy of a URL in the page's source in turn, then in shared files, with the other spellings only when needed", async () => {
    const root = await mkdtemp(join(tmpdir(), "locator-"));
    await mkdir(join(root, "src/_includes"), { recursive: true });
    const url = "https://www.amazon.com/dp/B000000001?a=1&b=2";
    await writeFile(join(root, "src/post.md"), `# Post\n\n[one](${url})\n[two](${url})\n`);
    await writeFile(
      join(root, "src/_includes/layout.njk"),
      `<footer><a href="https://www.amazon.com/dp/B000000001?a=1&amp;b=2">x</a></footer>\n`,
    );
    const locator = new SourceLocator(root, ["src/_includes"]);
    const found = await locator.locate("./src/post.md", [
      { original: url },
      { original: url },
      { original: url, raw: "https://www.amazon.com/dp/B000000001?a=1&amp;b=2" },
      { original: "https://www.amazon.com/dp/B0NOWHERE0" },
    ]);
    expect(found).toEqual([
      { file: "src/post.md", line: 3, column: 7 },
      { file: "src/post.md", line: 4, column: 7 },
      { file: "src/_includes/layout.njk", line: 1, column: 18 },
      undefined,
    ]);
  });
});
