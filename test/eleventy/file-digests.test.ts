/** Source digests keyed by file state: trusted while the state holds, never for a file hashed while it was still changing. */
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileDigests, type FileState } from "../../src/eleventy/file-digests.js";
import { digest } from "../../src/eleventy/fingerprint.js";
import { tempDir } from "../helpers/eleventy.js";
import { TestClock } from "../helpers/test-clock.js";

async function stateOf(path: string): Promise<FileState> {
  const s = await stat(path);
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
}

describe("file digests", () => {
  it("answer from a remembered state while it holds; an edit that puts the old size and time back is read again", async () => {
    const dir = await tempDir("amazon-links-digests-");
    const path = join(dir, "post.md");
    await writeFile(path, "[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    // A whole second, which utimes can put back exactly.
    const second = Math.floor(Date.now() / 1000) - 10;
    await utimes(path, second, second);
    const digests = new FileDigests(new TestClock(Date.now() + 60_000));
    // A digest the bytes cannot have: given back only because the state vouches for it.
    digests.remember(path, await stateOf(path), "remembered");
    expect(digests.digestOf(path)).toBe("remembered");

    // Same size, modification time put back (as rsync -t or tar do): the change time moved.
    const before = await stat(path);
    await writeFile(path, "[lamp](https://www.amazon.com/dp/B00OFWQS95)\n");
    await utimes(path, second, second);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect((await stat(path)).size).toBe(before.size);
    expect(digests.digestOf(path)).toBe(digest(await readFile(path)));
  });

  it("trust a state only when the file had been still for two seconds when it was hashed", async () => {
    const dir = await tempDir("amazon-links-digests-");
    const path = join(dir, "post.md");
    await writeFile(path, "x\n");
    const { mtimeMs, ctimeMs } = await stat(path);
    const changed = Math.max(mtimeMs, ctimeMs);

    const fresh = new FileDigests(new TestClock(changed + 1_999));
    expect(fresh.digestOf(path)).toBe(digest("x\n"));
    expect(fresh.trustedState(path)).toBeNull();

    const still = new FileDigests(new TestClock(changed + 2_000));
    expect(still.digestOf(path)).toBe(digest("x\n"));
    expect(still.trustedState(path)).toEqual(await stateOf(path));
  });

  it("give an empty digest for a file that is missing or not a file, and forget what they knew of it", async () => {
    const dir = await tempDir("amazon-links-digests-");
    const digests = new FileDigests(new TestClock(Date.now() + 60_000));
    expect(digests.digestOf(join(dir, "gone.md"))).toBe("");
    expect(digests.digestOf(dir)).toBe("");
    const path = join(dir, "post.md");
    await writeFile(path, "x\n");
    digests.remember(path, await stateOf(path), "remembered");
    await writeFile(path, "y\n");
    expect(digests.digestOf(path)).toBe(digest("y\n"));
  });
});
