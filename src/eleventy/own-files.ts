/**
 * The plugin's own files (reports, lockfile, the temp files they are written through, the lockfile
 * cache) are never Eleventy input. With Eleventy's default input "." they sit inside the input
 * directory, where Eleventy would render report.html as a Liquid template (evaluating product titles),
 * publish it, and, under --serve, rebuild on every report write.
 */
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ResolvedOptions } from "../rules/options.js";

/** Where the reports go when Eleventy's output directory would otherwise contain them (output "." and the like). */
const RELOCATED_REPORT_DIR = join("node_modules", ".cache", "eleventy-plugin-amazon-links");

/** Characters with a meaning in Eleventy's ignore globs (picomatch / fast-glob). */
const GLOB_SPECIAL = /[\\*?[\]{}()!+@]/g;

function escapeGlob(path: string): string {
  return path.replace(GLOB_SPECIAL, "\\$&");
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Ignore globs for Eleventy (`ignores` and `watchIgnores`), relative to the project root as Eleventy reads
 * them: each file, and the temp files it is written through (`.<name>.<pid>.<random>.tmp`, see
 * atomic-file.ts). Files outside the root are not Eleventy's to see.
 */
export function ownFileIgnores(root: string, files: ReadonlyArray<string | false | undefined>): string[] {
  const globs = new Set<string>([`${RELOCATED_REPORT_DIR.split(sep).join("/")}/**`]);
  for (const file of files) {
    if (!file) continue;
    const path = resolve(root, file);
    if (!isInside(root, path) || path === root) continue;
    const parts = relative(root, path).split(sep).map(escapeGlob);
    const name = parts.pop()!;
    const dir = parts.length ? `${parts.join("/")}/` : "";
    globs.add(`${dir}${name}`);
    globs.add(`${dir}.${name}.*.tmp`);
  }
  return [...globs];
}

/**
 * The report paths for one build. A default path (the user gave none) that falls inside Eleventy's output
 * directory moves under node_modules/.cache, which Eleventy never reads or publishes, so a report is never
 * published by accident; a path the user chose is theirs.
 */
export function reportPathsForBuild(
  report: ResolvedOptions["report"],
  userReport: unknown,
  root: string,
  outputDir: string,
): ResolvedOptions["report"] {
  const chosen = typeof userReport === "object" && userReport !== null ? (userReport as Record<string, unknown>) : {};
  const output = resolve(root, outputDir);
  const place = (key: "json" | "html"): string | false => {
    const path = report[key];
    if (path === false || chosen[key] !== undefined || !isInside(output, resolve(root, path))) return path;
    return join(RELOCATED_REPORT_DIR, `report.${key}`);
  };
  return { ...report, json: place("json"), html: place("html") };
}
