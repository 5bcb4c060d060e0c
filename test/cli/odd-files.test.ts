/**
 * Issue 18, fault 9: `amazon-links check` over odd files. An unreadable page or folder aborted the
 * audit with a stack trace, a page deleted during the run was "not a directory", symlinked and
 * UTF-16 pages were skipped without a word, a single page was refused, an empty folder said nothing.
 * The CLI as a child process; as root (where permissions do not stop reads) it runs as "nobody".
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";

const bin = resolve("dist/cli/main.js");
const asRoot = process.getuid?.() === 0;
const UNTAGGED = (asin: string) => `<p><a href="https://www.amazon.com/dp/${asin}">x</a></p>\n`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" }, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A site folder the child (maybe "nobody") can read and write into. */
async function site(): Promise<string> {
  const dir = await tempDir("amazon-links-odd-");
  await chmod(dir, 0o777);
  await mkdir(join(dir, "public"), { mode: 0o755 });
  return dir;
}

describe("amazon-links check over odd files", () => {
  it("an unreadable page and an unreadable folder are skip lines; the rest is audited", async () => {
    const dir = await site();
    await writeFile(join(dir, "public/ok.html"), UNTAGGED("B000000001"));
    await writeFile(join(dir, "public/secret.html"), UNTAGGED("B000000002"), { mode: 0o000 });
    await mkdir(join(dir, "public/locked"));
    await writeFile(join(dir, "public/locked/index.html"), UNTAGGED("B000000003"));
    await chmod(join(dir, "public/locked"), 0o000);
    try {
      const run = await cli(["check", "public", "--check", "off", "--tag", "us=ours-20"], dir);
      expect(run.stderr).toContain("amazon-links: skipped public/secret.html: could not be read (permission denied)");
      expect(run.stderr).toContain("amazon-links: skipped public/locked: folder could not be read (permission denied)");
      expect(run.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
      expect(run.stdout).toMatch(/public\/ok\.html:1:13\s+error\s+This amazon\.com link ships without a tag/);
      expect(run.stdout).toMatch(/1 file read/);
      expect(run.code).toBe(1);
    } finally {
      await chmod(join(dir, "public/locked"), 0o755);
    }
  });

  it("a page deleted while the audit runs is a skip line, not 'not a directory'", async () => {
    const dir = await site();
    // The first page's product check is slow: the second page is deleted meanwhile.
    const fake = await startFakeAmazon({ products: { "us:B000000001": "A" }, behaviours: [{ respond: { delay: 1_500 } }] });
    try {
      await writeFile(
        join(dir, "amazon-links.config.json"),
        JSON.stringify({ tags: { us: "ours-20" }, check: { endpoints: fake.endpoints(), lockfile: false, interval: 0 } }),
      );
      await writeFile(join(dir, "public/a.html"), UNTAGGED("B000000001"));
      await writeFile(join(dir, "public/b.html"), UNTAGGED("B000000002"));
      const running = cli(["check", "public"], dir);
      for (let i = 0; i < 400 && fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(fake.requests.length).toBeGreaterThan(0);
      await rm(join(dir, "public/b.html"));
      const run = await running;
      expect(run.stderr).toContain("amazon-links: skipped public/b.html: could not be read (it no longer exists)");
      expect(run.stderr).not.toMatch(/not a directory|unexpected error/);
      expect(run.stdout).toMatch(/public\/a\.html:1:13\s+error/);
    } finally {
      await fake.close();
    }
  });

  it("a symlinked page and a UTF-16 page (with its byte order mark) are audited like the others", async () => {
    const dir = await site();
    await mkdir(join(dir, "elsewhere"), { mode: 0o755 });
    await writeFile(join(dir, "elsewhere/shared.html"), UNTAGGED("B000000004"));
    await symlink("../elsewhere/shared.html", join(dir, "public/linked.html"));
    // Links to folders (one back up, one to a folder inside): not walked, said.
    await symlink("..", join(dir, "public/loop"));
    await mkdir(join(dir, "public/real"), { mode: 0o755 });
    await symlink("real", join(dir, "public/alias"));
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`<!doctype html>\n<title>Ü</title>\n${UNTAGGED("B000000005")}`, "utf16le"),
    ]);
    await writeFile(join(dir, "public/windows.html"), utf16);
    const be = Buffer.from(`<p>\n${UNTAGGED("B000000006")}`, "utf16le").swap16();
    await writeFile(join(dir, "public/big-endian.html"), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    await writeFile(join(dir, "public/bom.html"), `\uFEFF${UNTAGGED("B000000007")}`);
    const run = await cli(["check", "public", "--check", "off", "--tag", "us=ours-20"], dir);
    expect(run.stdout).toMatch(/public\/linked\.html:1:13\s+error/);
    expect(run.stdout).toMatch(/public\/windows\.html:3:13\s+error/);
    expect(run.stdout).toMatch(/public\/big-endian\.html:2:13\s+error/);
    expect(run.stdout).toMatch(/public\/bom\.html:1:13\s+error/);
    expect(run.stdout).toMatch(/4 errors/);
    expect(run.stdout).toMatch(/4 files read/);
    expect(run.stderr).toContain("amazon-links: skipped public/loop: symbolic link to a folder outside the site: not followed");
    expect(run.stderr).toContain(
      "amazon-links: skipped public/alias: symbolic link to a folder inside the site: not followed (its pages are audited where they are)",
    );
  });

  it("a single page is accepted as well as a folder; an empty folder says so", async () => {
    const dir = await site();
    await writeFile(join(dir, "public/index.html"), UNTAGGED("B000000001"));
    await writeFile(join(dir, "public/other.html"), UNTAGGED("B000000002"));
    const one = await cli(["check", "public/index.html", "--check", "off", "--tag", "us=ours-20"], dir);
    expect(one.stdout).toMatch(/public\/index\.html:1:13\s+error/);
    expect(one.stdout).not.toMatch(/other\.html/);
    expect(one.stdout).toMatch(/1 file read/);
    expect(one.code).toBe(1);

    await mkdir(join(dir, "empty"), { mode: 0o755 });
    const empty = await cli(["check", "empty", "--check", "off", "--tag", "us=ours-20"], dir);
    expect(empty.stderr).toContain(
      "amazon-links: no pages or feeds (.html, .htm, .xml, .rss, .atom, .json) in empty: is it the built site's directory?",
    );
    expect(empty.code).toBe(0);
  });
});
