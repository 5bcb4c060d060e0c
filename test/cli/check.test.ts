/** `amazon-links check` as a child process over a directory of plain HTML that Eleventy never saw. */
import { cp, readFile, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const bin = resolve("dist/cli/main.js");
const fixture = resolve("test/fixtures/plain-site");

function cli(args: string[], cwd: string) {
  return runNode(bin, args, cwd);
}

/** The fixture's links with our tags, as `amazon-links rewrite` or the plugin would ship them. */
async function retag(dir: string): Promise<void> {
  const post = join(dir, "public/blog/post.htm");
  await writeFile(post, (await readFile(post, "utf8")).replace('/dp/B07WNQ2H4K"', '/dp/B07WNQ2H4K?tag=plain0d-21"'));
  const index = join(dir, "public/index.html");
  await writeFile(index, (await readFile(index, "utf8")).replace("tag=other,guy-20", "tag=plain-20"));
}

async function site(): Promise<string> {
  const dir = await tempDir("amazon-links-check-");
  await cp(fixture, join(dir, "public"), { recursive: true });
  return dir;
}

describe("amazon-links check", () => {
  it("exits 0 on a site that ships only our tags, printing the summary", async () => {
    const dir = await site();
    await retag(dir);
    const { code, stdout } = await cli(["check", "public", "--check", "off", "--tag", "us=plain-20", "--tag", "de=plain0d-21"], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/3 Amazon links on 2 pages · 3 ASINs · stores: de, us · 0 errors, 0 warnings · 2 files read/);
  });

  it("judges what ships: untagged and foreign-tag links are errors, output-file:line:column; never writes the site", async () => {
    const dir = await site();
    const before = await readFile(join(dir, "public/blog/post.htm"), "utf8");
    const { code, stdout } = await cli(["check", "public", "--check", "off", "--tag", "us=plain-20", "--tag", "de=plain0d-21"], dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /public\/blog\/post\.htm:3:12\s+error\s+This amazon\.de link ships without a tag \(yours: "plain0d-21"\).*untagged/,
    );
    expect(stdout).toMatch(
      /public\/index\.html:5:52\s+error\s+This amazon\.com link ships with the tag "other,guy-20", not yours \("plain-20"\).*foreign-tag/,
    );
    expect(stdout).not.toMatch(/Replaced/); // nothing was replaced
    expect(stdout).not.toMatch(/amazon\.fr/); // the link inside <code> is not a link
    expect(stdout).toMatch(/2 errors, 0 warnings/);
    expect(await readFile(join(dir, "public/blog/post.htm"), "utf8")).toBe(before);
  });

  it("says when no tag is configured for a link's store, and honours a rule severity the user set", async () => {
    const dir = await site();
    const { code, stdout } = await cli(["check", "public", "--check", "off", "--tag", "us=plain-20", "--rule", "foreign-tag=warning"], dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /post\.htm:3:12\s+error\s+This amazon\.de link ships without a tag, and you have no tag for amazon\.de: add tags: \{ de: "yourtag-21" \}/,
    );
    expect(stdout).toMatch(/index\.html:5:52\s+warning\s+This amazon\.com link ships with the tag "other,guy-20"/);
  });

  it("reads amazon-links.config.json from the working directory or --config", async () => {
    const dir = await site();
    await retag(dir);
    const fromCwd = await cli(["check", ".", "--check", "off"], join(dir, "public"));
    expect(fromCwd.code).toBe(0);
    const named = await cli(["check", "public", "--check", "off", "--config", "public/amazon-links.config.json"], dir);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/0 errors, 0 warnings/);
    const without = await cli(["check", "public", "--check", "off"], dir);
    expect(without.code).toBe(1); // no config here: no tags, so nothing ships with one of yours
  });

  it("prints the JSON report with --format json and writes --json and --report files", async () => {
    const dir = await site();
    const { code, stdout } = await cli(
      [
        "check",
        "public",
        "--check",
        "off",
        "--tag",
        "us=plain-20",
        "--format",
        "json",
        "--json",
        "out/r.json",
        "--report",
        "out/r.html",
        "--sarif",
        "out/r.sarif",
      ],
      dir,
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ version: 1, summary: { links: 3, errors: 2, warnings: 0 } });
    // href is the href in the file, not what the plugin would have written.
    expect(report.links.find((l: { asin: string }) => l.asin === "B07QBPDWLS")).toMatchObject({
      href: "https://www.amazon.com/dp/B07QBPDWLS?tag=other,guy-20",
      original: "https://www.amazon.com/dp/B07QBPDWLS?tag=other,guy-20",
    });
    expect(report.links.find((l: { asin: string }) => l.asin === "B07WNQ2H4K")).toMatchObject({
      input: "public/blog/post.htm",
      output: "public/blog/post.htm",
      line: 3,
      column: 12,
      marketplace: "de",
      status: "unchecked",
    });
    expect(JSON.parse(await readFile(join(dir, "out/r.json"), "utf8")).summary).toEqual(report.summary);
    expect(await readFile(join(dir, "out/r.html"), "utf8")).toMatch(/^<!doctype html>/i);
    const sarif = JSON.parse(await readFile(join(dir, "out/r.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(["foreign-tag", "untagged"]);
  });

  it("prints GitHub annotations for built files without a file property (they are not in the repository)", async () => {
    const dir = await site();
    const { code, stdout } = await cli(["check", "public", "--check", "off", "--tag", "us=plain-20", "--format", "github"], dir);
    expect(code).toBe(1);
    expect(stdout).toContain("::error title=amazon-links (untagged)::public/blog/post.htm:3:12: This amazon.de link ships without a tag");
    expect(stdout).toContain(
      '::error title=amazon-links (foreign-tag)::public/index.html:5:52: This amazon.com link ships with the tag "other,guy-20"',
    );
    expect(stdout).not.toContain("file=");
  });

  it("lists opted-out links as such and applies the disclosure rule, like the plugin", async () => {
    const dir = await site();
    await writeFile(
      join(dir, "public/optout.html"),
      '<html><body><div data-amazon-links="off"><a href="https://www.amazon.com/dp/B07QBPDWLS?tag=friend-20">theirs</a></div></body></html>',
    );
    await writeFile(
      join(dir, "c.json"),
      JSON.stringify({ tags: { us: "plain-20", de: "plain0d-21" }, disclosure: "As an Amazon Associate", check: false }),
    );
    const { code, stdout } = await cli(["check", "public", "--config", "c.json", "--format", "json"], dir);
    const report = JSON.parse(stdout);
    const opted = report.links.find((l: { optedOut?: boolean }) => l.optedOut);
    expect(opted).toMatchObject({ output: "public/optout.html", href: "https://www.amazon.com/dp/B07QBPDWLS?tag=friend-20", findings: [] });
    // The two pages with affiliate links show no disclosure: one error each.
    expect(report.pages.flatMap((p: { findings: Array<{ rule: string }> }) => p.findings.map((f) => f.rule))).toEqual([
      "missing-disclosure",
      "missing-disclosure",
    ]);
    expect(code).toBe(1);
  });

  it("exits 2 with a readable message on usage and configuration errors", async () => {
    const dir = await site();
    const cases: Array<[string[], RegExp]> = [
      [["check"], /needs the built site's directory/],
      [["check", "missing-dir"], /missing-dir does not exist: give the built site's directory \(or one page\)/],
      [["check", "public", "--format", "xml"], /--format must be text, json or github/],
      [["check", "public", "--tag", "xx=a-20"], /option "tags\.xx": unknown store code/],
      [["check", "public", "--tag", "us"], /--tag takes key=value/],
      [["check", "public", "--config", "nope.json"], /config file nope\.json does not exist/],
      [["check", "public", "--no-such-flag"], /Unknown option '--no-such-flag'/],
      [["frobnicate"], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await cli(args, dir);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr, args.join(" ")).toMatch(message);
    }
    expect(await readdir(dir)).toEqual(["public"]); // nothing written on failure
  });

  it("has --help a person can read and --version", async () => {
    const help = await cli(["--help"], process.cwd());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:\n\s+amazon-links check <built-site-dir>/);
    expect(help.stdout).toMatch(/Exit codes: 0 no error findings, 1 error findings/);
    expect(help.stdout).toMatch(/2 usage or configuration error/);
    expect(help.stdout).toMatch(/amazon-links refresh \[--stale\]/);
    expect(help.stdout).toMatch(/amazon-links rewrite <built-site-dir> \[options\]/);
    expect(help.stdout).toMatch(/--dry-run\s+rewrite: show what would change; write nothing/);
    const version = await cli(["--version"], process.cwd());
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
