/**
 * Issue 18, faults 3, 4 and 10: concurrent writers of one lockfile, symlinked and read-only
 * lockfiles, a lockfile saved with a byte order mark. Writers are real child processes running the
 * built package against the fake Amazon on 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { chmod, lstat, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createChecker, LockfileError, serializeLock } from "../../src/check/index.js";
import { fakeAmazon, fast, tempDir } from "./helpers.js";

const run = promisify(execFile);
const A = "B000000001";
const B = "B000000002";
const dist = resolve("dist/check/index.js");

/**
 * One build's checker in its own process: it checks one ASIN, says it is ready (a file in `barrier`),
 * waits until every writer is, so they all flush at once, and writes the lockfile.
 */
const WRITER = `
const [distPath, lockfile, endpoints, asin, barrier, writers] = process.argv.slice(1);
const { readdir, writeFile } = await import("node:fs/promises");
const { createChecker } = await import(distPath);
const checker = createChecker({ endpoints: JSON.parse(endpoints), interval: 0, backoff: 10, retries: 2, timeout: "3s", budget: "20s", lockfile });
await checker.check([{ asin, marketplace: "us" }]);
await writeFile(barrier + "/" + asin, "");
for (let i = 0; i < 3000 && (await readdir(barrier)).length < Number(writers); i++) await new Promise((r) => setTimeout(r, 5));
await checker.flush();
`;

function asinNumber(n: number): string {
  return `B${String(n).padStart(9, "0")}`;
}

describe("lockfile writers", () => {
  it("concurrent runs in separate processes keep every run's verdicts (a lock beside the lockfile)", async () => {
    const WRITERS = 4;
    const TRIALS = 4;
    const products: Record<string, string> = {};
    for (let n = 1; n <= WRITERS * TRIALS; n++) products[`us:${asinNumber(n)}`] = `Product ${n}`;
    const fake = await fakeAmazon({ products });
    let kept = 0;
    let keptOld = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await tempDir();
      const lockfile = join(dir, "amazon-links.lock.json");
      // The file already holds an entry, which every writer must keep too.
      await writeFile(
        lockfile,
        serializeLock({
          version: 1,
          entries: { [`de:${A}`]: { status: "live", checkedAt: new Date().toISOString(), via: "page" } },
          shortLinks: {},
        }),
      );
      const barrier = await tempDir();
      const asins = Array.from({ length: WRITERS }, (_, i) => asinNumber(trial * WRITERS + i + 1));
      const args = (asin: string) => [
        "--input-type=module",
        "-e",
        WRITER,
        dist,
        lockfile,
        JSON.stringify(fake.endpoints()),
        asin,
        barrier,
        String(WRITERS),
      ];
      await Promise.all(asins.map((asin) => run(process.execPath, args(asin))));
      const entries = JSON.parse(await readFile(lockfile, "utf8")).entries as Record<string, unknown>;
      kept += asins.filter((asin) => entries[`us:${asin}`]).length;
      if (entries[`de:${A}`]) keptOld++;
      // The lock and the temp files are gone.
      expect(await readdir(dir)).toEqual(["amazon-links.lock.json"]);
    }
    console.log(`[lockfile-writers] ${WRITERS} concurrent writers x ${TRIALS} trials: ${kept} of ${WRITERS * TRIALS} new entries kept`);
    expect([kept, keptOld]).toEqual([WRITERS * TRIALS, TRIALS]);
  }, 120_000);

  it("a lock left by a process that is gone is taken over; a live holder is waited for, then named", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const lockfile = join(dir, "lock.json");
    // A pid that is not running (a build killed with SIGKILL left its lock behind).
    const { stdout } = await run(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const { hostname } = await import("node:os");
    await writeFile(`${lockfile}.lock`, `${stdout}\n${hostname()}\n0\n`);
    const checker = createChecker(fast(fake, { lockfile }));
    await checker.check([{ asin: A, marketplace: "us" }]);
    expect(await checker.flush()).toMatchObject({ written: true });
    expect(JSON.parse(await readFile(lockfile, "utf8")).entries[`us:${A}`]).toMatchObject({ status: "live" });
    expect(await readdir(dir)).toEqual(["lock.json"]);

    // Held by this (running) process: the write waits, then gives up with a message that says what to do.
    const { updateLockfile } = await import("../../src/check/lockfile.js");
    await writeFile(`${lockfile}.lock`, `${process.pid}\n${hostname()}\n0\n`);
    const error = await updateLockfile(lockfile, (data) => data, { timeout: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockfileError);
    expect((error as Error).message).toContain(`${lockfile}.lock is held by process ${process.pid}`);
    expect((error as Error).message).toMatch(/If no build is running, delete/);
  });

  it("a symlinked lockfile is written through to its target: the link stays a link", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`us:${B}`]: "B" } });
    const dir = await tempDir();
    const shared = join(dir, "shared", "amazon-links.lock.json");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "shared"));
    await mkdir(join(dir, "site"));
    await writeFile(
      shared,
      serializeLock({
        version: 1,
        entries: { [`us:${B}`]: { status: "live", checkedAt: new Date().toISOString(), via: "page" } },
        shortLinks: {},
      }),
    );
    const link = join(dir, "site", "amazon-links.lock.json");
    await symlink("../shared/amazon-links.lock.json", link);
    const checker = createChecker(fast(fake, { lockfile: link }));
    await checker.check([
      { asin: A, marketplace: "us" },
      { asin: B, marketplace: "us" },
    ]);
    expect(await checker.flush()).toMatchObject({ written: true });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe("../shared/amazon-links.lock.json");
    expect(Object.keys(JSON.parse(await readFile(shared, "utf8")).entries)).toEqual([`us:${A}`, `us:${B}`]);
    expect(await readdir(join(dir, "site"))).toEqual(["amazon-links.lock.json"]);
    expect(await readdir(join(dir, "shared"))).toEqual(["amazon-links.lock.json"]);
  });

  it("a read-only lockfile is not replaced: the flush fails with a message saying what to do", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const lockfile = join(dir, "lock.json");
    const content = serializeLock({ version: 1, entries: {}, shortLinks: {} });
    await writeFile(lockfile, content);
    await chmod(lockfile, 0o444);
    const before = await stat(lockfile);
    const checker = createChecker(fast(fake, { lockfile }));
    await checker.check([{ asin: A, marketplace: "us" }]);
    const error = await checker.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockfileError);
    expect((error as Error).message).toContain(`lockfile ${lockfile} is read-only`);
    expect((error as Error).message).toMatch(/chmod u\+w/);
    const after = await stat(lockfile);
    expect([after.ino, after.mode & 0o777, await readFile(lockfile, "utf8")]).toEqual([before.ino, 0o444, content]);
  });

  it("a rewritten lockfile keeps the permissions it had", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const lockfile = join(dir, "lock.json");
    await writeFile(lockfile, serializeLock({ version: 1, entries: {}, shortLinks: {} }));
    await chmod(lockfile, 0o664);
    const checker = createChecker(fast(fake, { lockfile }));
    await checker.check([{ asin: A, marketplace: "us" }]);
    expect(await checker.flush()).toMatchObject({ written: true });
    expect((await stat(lockfile)).mode & 0o777).toBe(0o664);
  });

  it("a lockfile saved with a UTF-8 byte order mark is read, and written back without it", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const lockfile = join(dir, "lock.json");
    const entry = { status: "live" as const, checkedAt: new Date().toISOString(), via: "page" as const, title: "From the file" };
    await writeFile(lockfile, `\uFEFF${serializeLock({ version: 1, entries: { [`us:${B}`]: entry }, shortLinks: {} })}`);
    const checker = createChecker(fast(fake, { lockfile }));
    const [fromFile] = await checker.check([
      { asin: B, marketplace: "us" },
      { asin: A, marketplace: "us" },
    ]);
    expect(fromFile).toMatchObject({ status: "live", fromLockfile: true, title: "From the file" });
    expect(fake.count()).toBe(1);
    await checker.flush();
    const text = await readFile(lockfile, "utf8");
    expect(text.charCodeAt(0)).toBe("{".charCodeAt(0));
    expect(Object.keys(JSON.parse(text).entries)).toEqual([`us:${A}`, `us:${B}`]);
  });
});
