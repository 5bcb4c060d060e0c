/**
 * Issue 18, "keep what already holds": `__proto__` keys in options, config files and lockfiles are
 * refused, not merged into prototypes; a lockfile write killed with SIGKILL at any moment leaves the
 * old file or the new one, whole.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LockfileError, readLockfile, resolveCheckOptions, serializeLock } from "../../src/check/index.js";
import { resolveOptions } from "../../src/rules/options.js";
import { tempDir } from "./helpers.js";

describe("__proto__ keys", () => {
  it("are refused in the plugin options, the check options and the lockfile, and pollute nothing", async () => {
    expect(() => resolveOptions(JSON.parse('{ "tags": { "__proto__": "x-20" } }'))).toThrow(/__proto__/);
    expect(() => resolveOptions(JSON.parse('{ "__proto__": { "failOnError": false } }'))).toThrow(/__proto__/);
    expect(() => resolveCheckOptions(JSON.parse('{ "__proto__": { "via": false } }'))).toThrow(/__proto__/);
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    await writeFile(
      path,
      '{ "version": 1, "entries": { "__proto__": { "status": "live", "checkedAt": "2026-01-01T00:00:00Z", "via": "page" } }, "shortLinks": {} }',
    );
    await expect(readLockfile(path)).rejects.toThrow(LockfileError);
    await expect(readLockfile(path)).rejects.toThrow(/"__proto__" that is not "<store>:<ASIN>"/);
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(({} as Record<string, unknown>).via).toBeUndefined();
  });
});

describe("a lockfile write killed with SIGKILL", () => {
  it("leaves the old file or the new one, whole, whenever it is killed", async () => {
    const dir = await tempDir();
    const path = join(dir, "amazon-links.lock.json");
    const entries = (status: "live" | "dead") => {
      const out: Record<string, { status: "live" | "dead"; checkedAt: string; via: "page"; title: string }> = {};
      for (let i = 0; i < 20_000; i++)
        out[`us:B${String(i).padStart(9, "0")}`] = {
          status,
          checkedAt: "2026-01-01T00:00:00.000Z",
          via: "page",
          title: `Product ${i} `.repeat(4),
        };
      return out;
    };
    const oldText = serializeLock({ version: 1, entries: entries("live"), shortLinks: {} });
    const newText = serializeLock({ version: 1, entries: entries("dead"), shortLinks: {} });
    const newFile = join(dir, "new.json");
    await writeFile(newFile, newText);
    const writer = `const { writeLockfile } = await import(process.argv[1]); const { readFile } = await import("node:fs/promises");
      const text = await readFile(process.argv[3], "utf8"); process.stdout.write("ready\\n");
      for (;;) await writeLockfile(process.argv[2], text);`;
    const outcomes = { old: 0, new: 0 };
    for (let trial = 0; trial < 8; trial++) {
      await writeFile(path, oldText);
      const child = spawn(process.execPath, ["--input-type=module", "-e", writer, resolve("dist/check/lockfile.js"), path, newFile], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((ready) => child.stdout.once("data", () => ready()));
      // Killed at a different point of its write loop each time.
      await new Promise((wait) => setTimeout(wait, 5 + trial * 7));
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGKILL");
      await exited;
      const text = await readFile(path, "utf8");
      expect([oldText, newText]).toContain(text);
      outcomes[text === oldText ? "old" : "new"]++;
    }
    expect(outcomes.old + outcomes.new).toBe(8);
  }, 60_000);
});
