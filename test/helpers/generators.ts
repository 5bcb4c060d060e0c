/**
 * Real builds by other static site generators (Debian's `hugo` and `jekyll`) of the fixture sites in
 * test/fixtures/generator-sites/. Where a generator is missing the suites say so with the install
 * command and skip, except under CI=true, where that is a failure (like the browser tests).
 */
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./eleventy.js";

const run = promisify(execFile);
export const generatorFixtures = resolve("test/fixtures/generator-sites");
export type Generator = "hugo" | "jekyll";

const isCI = process.env.CI === "true" || process.env.CI === "1";

function installed(command: Generator): boolean {
  try {
    execFileSync(command, [command === "hugo" ? "version" : "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** True when the generator can run. Prints the install command when it cannot. */
export function generatorAvailable(generator: Generator): boolean {
  if (installed(generator)) return true;
  const message = `\n[${generator} tests] ${generator} not found. Install it with:\n    sudo apt-get update && sudo apt-get install -y ${generator}\n${generator} tests are SKIPPED.\n`;
  if (isCI) throw new Error(`${message}Under CI=true a missing ${generator} is a failure.`);
  console.warn(message);
  return false;
}

const DATES: Record<string, string> = { untagged: "2024-05-01", foreign: "2024-05-02", clean: "2024-05-03" };

export interface GeneratorSite {
  /** The project: sources, config, and `public/` (Hugo) or `_site/` (Jekyll) after the build. */
  dir: string;
  /** The built site, relative to `dir`. */
  output: string;
  read(path: string): Promise<string>;
}

export interface SiteVariant {
  /** Which posts of content/ to include (default: all). */
  posts?: string[];
  /** Give the layout's footer link our tag. */
  taggedFooter?: boolean;
}

/** Copy a generator's fixture and the posts into a temp project, with the front matter that generator reads. */
export async function prepareSite(generator: Generator | "eleventy", variant: SiteVariant = {}): Promise<string> {
  const dir = await tempDir(`amazon-links-${generator}-`);
  await cp(join(generatorFixtures, generator), dir, { recursive: true });
  await cp(join(generatorFixtures, "amazon-links.config.json"), join(dir, "amazon-links.config.json"));
  const posts = variant.posts ?? (await readdir(join(generatorFixtures, "content"))).map((f) => f.replace(/\.md$/, ""));
  const postDir = { hugo: "content/posts", jekyll: "_posts", eleventy: "posts" }[generator];
  await mkdir(join(dir, postDir), { recursive: true });
  for (const name of posts) {
    const body = await readFile(join(generatorFixtures, "content", `${name}.md`), "utf8");
    const date = DATES[name] ?? "2024-05-04";
    const front =
      generator === "jekyll"
        ? `---\nlayout: post\ntitle: ${name}\n---\n`
        : generator === "hugo"
          ? `---\ntitle: ${name}\ndate: ${date}\n---\n`
          : `---\nlayout: post.njk\ntitle: ${name}\ndate: ${date}\ntags: post\npermalink: /posts/${name}/\n---\n`;
    await writeFile(join(dir, postDir, generator === "jekyll" ? `${date}-${name}.md` : `${name}.md`), front + body);
  }
  if (variant.taggedFooter) {
    const footer = { hugo: "layouts/partials/footer.html", jekyll: "_includes/footer.html", eleventy: "_includes/footer.njk" }[generator];
    const path = join(dir, footer);
    await writeFile(path, (await readFile(path, "utf8")).replace("/dp/B0BSHF7WHW", "/dp/B0BSHF7WHW?tag=mysite-20"));
  }
  return dir;
}

/** Build a fixture site with the real generator. */
export async function buildGeneratorSite(generator: Generator, variant: SiteVariant = {}): Promise<GeneratorSite> {
  const dir = await prepareSite(generator, variant);
  const output = generator === "hugo" ? "public" : "_site";
  const env = { ...process.env, JEKYLL_ENV: "production" };
  if (generator === "hugo") await run("hugo", ["--quiet", "--source", dir, "--destination", join(dir, output)], { env });
  else await run("jekyll", ["build", "--quiet", "--safe", "--source", dir, "--destination", join(dir, output)], { env, cwd: dir });
  return { dir, output, read: (path) => readFile(join(dir, output, path), "utf8") };
}
