/**
 * Issue 18, "keep what already holds": a configuration error stops an Eleventy build before any
 * page is rendered or written (the new refusals too: a blocked port, an absurd duration), and a
 * Creators API secret never reaches the console or a report, even when Amazon refuses it.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeAmazon } from "../fake-amazon/server.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const BASIC = "test/fixtures/site-basic/content";

describe("configuration errors", () => {
  it.each([
    [{ check: { endpoints: { us: "http://127.0.0.1:6667" } } }, /option "check\.endpoints\.us": port 6667/],
    [{ check: { budget: "99999999w" } }, /option "check\.budget": "99999999w" is more than 100 years/],
    [{ tags: JSON.parse('{ "__proto__": "x-20" }') }, /__proto__/],
  ])("stop the build before any page is rendered: %j", async (options, message) => {
    let rendered = 0;
    const build = await buildFixture(BASIC, { tags: { us: "ours-20" }, ...options } as never, (cfg) => {
      cfg.addTransform("count", (content: string) => {
        rendered++;
        return content;
      });
    });
    const error = build.error as { originalError?: Error; message: string };
    expect(error.originalError?.message ?? error.message).toMatch(message);
    expect(rendered).toBe(0);
    expect(await readdir(build.outputDir)).toEqual([]);
  });
});

describe("Creators API secrets", () => {
  it("are never printed nor written to a report, when Amazon refuses them", async () => {
    const secret = "s3cr3t-Zq9-never-shown";
    const fake = await startFakeAmazon({ credentials: [{ id: "na-id", secret: "the-right-one" }] });
    try {
      const dir = await tempDir("amazon-links-secret-");
      await writeFile(join(dir, "index.html"), '<p><a href="https://www.amazon.com/dp/B000000001?tag=ours-20">x</a></p>\n');
      await writeFile(
        join(dir, "amazon-links.config.json"),
        JSON.stringify({
          tags: { us: "ours-20" },
          check: { via: "creators", endpoints: fake.endpoints(), lockfile: false, interval: 0, retries: 0 },
        }),
      );
      const env = {
        AMAZON_CREATORS_CREDENTIAL_ID: "na-id",
        AMAZON_CREATORS_CREDENTIAL_SECRET: secret,
        AMAZON_CREATORS_CREDENTIAL_VERSION: "3.1",
      };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      let run;
      try {
        run = await runNode(
          resolve("dist/cli/main.js"),
          ["check", ".", "--json", "report.json", "--sarif", "report.sarif", "--format", "github"],
          dir,
        );
      } finally {
        for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
      }
      const written = [
        await readFile(join(dir, "report.json"), "utf8").catch(() => ""),
        await readFile(join(dir, "report.sarif"), "utf8").catch(() => ""),
      ];
      expect(`${run.stdout}${run.stderr}`).toMatch(/credential|token|refused|401|invalid/i);
      for (const text of [run.stdout, run.stderr, ...written]) expect(text).not.toContain(secret);
    } finally {
      await fake.close();
    }
  });
});
