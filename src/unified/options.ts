/**
 * The unified plugins' options: the Eleventy plugin's options that mean
 * something for one Markdown or HTML file in a pipeline. Options that only
 * make sense for a whole built site are rejected, saying what to use instead.
 */
import { AmazonLinksOptionError, isPlainObject } from "../rules/option-error.js";
import { resolveOptions, type ResolvedOptions, type RuleOptions } from "../rules/options.js";
import { pathFilter } from "../rules/scope.js";

export interface UnifiedAmazonLinksOptions
  extends Pick<RuleOptions, "tags" | "rules" | "rel" | "keepParams" | "dataAttributes" | "target" | "stores"> {
  /** Fail the file (`file.fail`, which fails `astro build` and rejects `process`) when an error finding exists (default true). */
  failOnError?: boolean;
  /** Source paths (globs relative to the file's `cwd`, e.g. `["src/content/blog/**"]`) to process; default all. */
  include?: readonly string[];
  /** Source paths (globs relative to the file's `cwd`) to leave alone. */
  exclude?: readonly string[];
}

/** Why an option of the Eleventy plugin has no meaning here, and what to use instead. */
const NOT_APPLICABLE: Record<string, string> = {
  check: "product checks need the whole site's links and a lockfile; run `amazon-links check <output dir>` after the build",
  localize: "the localization script is added to built pages; run `amazon-links rewrite <output dir>` after the build",
  report:
    "findings are vfile messages on each file; print them with vfile-reporter, or run `amazon-links check <output dir>` for report files",
  disclosure: "a Markdown file is not the page (the layout carries the disclosure); run `amazon-links check <output dir>` after the build",
  quiet: "the plugins print nothing themselves; findings are vfile messages",
  verbose: "the plugins print nothing themselves; findings are vfile messages",
};

export interface UnifiedSettings {
  readonly rules: ResolvedOptions;
  /** Whether a file, by its path relative to its cwd (undefined when it has none), is processed. */
  readonly processesPath: (path: string | undefined) => boolean;
}

export function resolveUnifiedOptions(plugin: string, options: unknown): UnifiedSettings {
  if (isPlainObject(options)) {
    for (const key of Object.keys(options)) {
      const why = NOT_APPLICABLE[key];
      if (why !== undefined)
        throw new AmazonLinksOptionError(
          `[amazon-links] option "${key}" does not apply to ${plugin}: ${why}. Remove it from the ${plugin} options.`,
        );
    }
  }
  const rules = resolveOptions(options);
  const { include, exclude } = rules;
  if (!include && exclude.length === 0) return { rules, processesPath: () => true };
  const matches = pathFilter(include, exclude);
  // A file without a path matches no glob: with `include` it is left alone, with only `exclude` it is processed.
  return { rules, processesPath: (path) => (path === undefined ? !include || include.length === 0 : matches(path)) };
}
