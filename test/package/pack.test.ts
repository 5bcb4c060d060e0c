/**
 * The package as published. `npm pack` of the built package (dist/, made by `npm run build`, which
 * `npm test` runs first; lifecycle scripts off, so packing does not rebuild dist/ under the other tests),
 * and fresh `npm init -y` projects that install the tarball and build with the README's configs as written.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, posix, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";

const run = promisify(execFile);
const repo = resolve(".");
const REPO_URL = "https://github.com/eleventy-plugin-amazon-links/eleventy-plugin-amazon-links";

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", [...args, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return stdout;
}

let packed: PackResult;
let files: Set<string>;
beforeAll(async () => {
  packed = (JSON.parse(await npm(["pack", "--dry-run", "--json"], repo)) as PackResult[])[0]!;
  files = new Set(packed.files.map((f) => f.path));
});

describe("npm pack", () => {
  it("ships the built package, its types, the schema, README and LICENSE, and nothing of the tests", () => {
    for (const path of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/index.cjs",
      "dist/index.d.cts",
      "dist/cli/main.js",
      "dist/client/localize.min.js",
      "schema/report.schema.json",
    ]) {
      expect(files.has(path), path).toBe(true);
    }
    for (const path of files) {
      expect(path, path).not.toMatch(/^(test|bench|example-site|scripts|src|docs|node_modules)\/|fixtures|\.test\.|(^|\/)\.[^/]/);
    }
  });

  it("every entry point named in package.json ships", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    const targets: string[] = [pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>)];
    const walk = (value: unknown): void => {
      if (typeof value === "string") targets.push(value);
      else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    walk(pkg.exports);
    for (const target of targets) expect(files.has(posix.normalize(target)), target).toBe(true);
  });

  it("every source map's sources ship with it", async () => {
    for (const path of files) {
      if (!path.endsWith(".map")) continue;
      const map = JSON.parse(await readFile(path, "utf8")) as { sources: string[]; sourcesContent?: Array<string | null> };
      map.sources.forEach((source, i) => {
        const shipped = files.has(posix.join(posix.dirname(path), source)) || typeof map.sourcesContent?.[i] === "string";
        expect(shipped, `${path} → ${source}`).toBe(true);
      });
    }
  });

  it("README links work on the npm page: absolute, in-page, or a file that ships", async () => {
    const readme = await readFile("README.md", "utf8");
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)/g), ...readme.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(5);
    for (const target of targets) {
      if (/^https?:\/\//.test(target) || target.startsWith("#")) continue;
      expect(files.has(posix.normalize(target.replace(/#.*$/, ""))), target).toBe(true);
    }
  });

  it("names its licence, repository, homepage and issue tracker, and runs no install scripts", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    expect(pkg.license).toBe("MIT");
    expect(await readFile("LICENSE", "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} eleventy-plugin-amazon-links contributors\n/);
    expect(pkg.repository).toEqual({ type: "git", url: `git+${REPO_URL}.git` });
    expect(pkg.homepage).toBe(`${REPO_URL}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPO_URL}/issues` });
    for (const script of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts[script], script).toBeUndefined();
    expect(pkg.scripts.prepack).toBeDefined();
  });
});

/** The README's code block whose first line is `first` (a file name comment), as written. */
async function readmeBlock(first: string): Promise<string> {
  const readme = await readFile("README.md", "utf8");
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.split("\n")[0] === first);
  if (!block) throw new Error(`README has no js block starting with ${first}`);
  return block;
}

describe("installed from the tarball into a fresh `npm init -y` project", () => {
  let fake: FakeAmazon;
  let project: string;
  beforeAll(async () => {
    fake = await startFakeAmazon({ products: { "us:B00OFWQS94": "BenQ e-Reading LED Desk Lamp", "de:B07WNQ2H4K": "Teekanne" } });
    const packDir = await tempDir("amazon-links-pack-");
    const [tarball] = JSON.parse(await npm(["pack", "--json", "--pack-destination", packDir], repo)) as PackResult[];
    project = await tempDir("amazon-links-fresh-");
    await npm(["init", "-y"], project);
    // What `npm install <tarball>` lays down, without asking the registry (no test touches the network):
    // the tarball unpacked as the package, its dependencies and Eleventy linked from this repository's install.
    const installed = join(project, "node_modules/eleventy-plugin-amazon-links");
    await mkdir(installed, { recursive: true });
    await run("tar", ["-xzf", join(packDir, tarball!.filename), "-C", installed, "--strip-components=1"]);
    const pkg = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
    for (const name of [...Object.keys(pkg.dependencies), "@11ty/eleventy"]) {
      await mkdir(dirname(join(project, "node_modules", name)), { recursive: true });
      await symlink(join(repo, "node_modules", name), join(project, "node_modules", name), "dir");
    }
    await writeFile(
      join(project, "index.md"),
      "[lamp](https://www.amazon.com/dp/B00OFWQS94) [teekanne](https://www.amazon.de/dp/B07WNQ2H4K)\n",
    );
    // Checks go to the fake Amazon, through the config file both the plugin and the CLI read.
    await writeFile(
      join(project, "amazon-links.config.json"),
      JSON.stringify({ check: { endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s" } }),
    );
  });
  afterAll(() => fake?.close());

  const eleventy = (env: Record<string, string> = {}) =>
    run(process.execPath, [join(project, "node_modules/@11ty/eleventy/cmd.cjs")], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1", ...env },
    }).then(
      () => 0,
      (error: { code: number; stdout: string; stderr: string }) => {
        throw new Error(`eleventy exited ${error.code}:\n${error.stdout}${error.stderr}`);
      },
    );

  async function buildWith(configName: string, code: string, env?: Record<string, string>): Promise<string> {
    await rm(join(project, "_site"), { recursive: true, force: true });
    await writeFile(join(project, configName), code);
    try {
      await eleventy(env);
    } finally {
      await rm(join(project, configName));
    }
    return readFile(join(project, "_site/index.html"), "utf8");
  }

  it('npm init made a CommonJS project (npm 11 says "type": "commonjs"; older npm leaves it out, which means the same)', async () => {
    expect([undefined, "commonjs"]).toContain(JSON.parse(await readFile(join(project, "package.json"), "utf8")).type);
  });

  it("builds with the README's ESM config (eleventy.config.mjs) as written", async () => {
    const html = await buildWith(
      "eleventy.config.mjs",
      await readmeBlock('// eleventy.config.mjs (or eleventy.config.js with "type": "module" in package.json)'),
    );
    expect(html).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20");
    expect(html).toContain("https://www.amazon.de/dp/B07WNQ2H4K?tag=mysite0d-21");
  });

  it("builds with the README's CommonJS config (require) as written", async () => {
    const html = await buildWith("eleventy.config.js", await readmeBlock("// eleventy.config.js"));
    expect(html).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20");
    expect(existsSync(join(project, "amazon-links.lock.json"))).toBe(true);
  });

  it("the CommonJS config works where Node cannot require() ES modules (the plugin loads them itself)", async () => {
    const oldNode = { NODE_OPTIONS: "--no-experimental-require-module" };
    // The fallback is what runs: the named exports are not there.
    const probe = `const m = require("eleventy-plugin-amazon-links"); console.log(typeof m, typeof m.parseAmazonUrl)`;
    expect((await run(process.execPath, ["-e", probe], { cwd: project, env: { ...process.env, ...oldNode } })).stdout.trim()).toBe(
      "function undefined",
    );
    const html = await buildWith("eleventy.config.js", await readmeBlock("// eleventy.config.js"), oldNode);
    expect(html).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20");
  });

  it("require() gives the plugin with the named exports beside it", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "-e",
        `const m = require("eleventy-plugin-amazon-links"); console.log(typeof m, m.name, m === m.default, m.parseAmazonUrl("https://amazon.de/dp/B07WNQ2H4K").marketplace, typeof m.rehypeAmazonLinks)`,
      ],
      { cwd: project },
    );
    expect(stdout.trim()).toBe("function amazonLinksPlugin true de function");
  });

  it("the CLI from the tarball reads the same config file and says so", async () => {
    await writeFile(
      join(project, "amazon-links.config.json"),
      JSON.stringify({ tags: { us: "mysite-20", de: "mysite0d-21" }, check: false }),
    );
    const result = await run(
      process.execPath,
      [join(project, "node_modules/eleventy-plugin-amazon-links/dist/cli/main.js"), "check", "_site"],
      { cwd: project },
    );
    expect(result.stderr).toMatch(/^amazon-links: config amazon-links\.config\.json$/m);
    expect(result.stdout).toMatch(/2 Amazon links on 1 page .*0 errors/);
  });
});
