/**
 * The part of Eleventy 3's config API this plugin uses. Eleventy ships no
 * types usable under strict TypeScript, so we declare the shape we rely on.
 */
interface EleventyDirectories {
  input: string;
  includes: string;
  layouts?: string;
  data: string;
  output: string;
}

export interface EleventyEventArgs {
  directories: EleventyDirectories;
  runMode: "build" | "watch" | "serve";
  outputMode: "fs" | "json" | "ndjson";
  incremental: boolean;
  /** eleventy.after only: what was written (empty under --dryrun, which writes nothing). */
  results?: unknown[];
}

export interface TransformContext {
  inputPath?: string;
  outputPath?: string | false;
  url?: string;
  page?: { inputPath?: string; outputPath?: string | false; url?: string };
  /** Set when the transform runs through the renderTransforms filter (feeds), not for the page itself. */
  baseHref?: string;
}

interface EleventyLogger {
  logWithOptions(options: {
    message: string;
    type?: "log" | "warn" | "error" | "info";
    prefix?: string;
    color?: string;
    force?: boolean;
  }): void;
}

export interface EleventyConfig {
  addTransform(name: string, fn: (this: TransformContext, content: string, outputPath?: string | false) => unknown): void;
  on(event: "eleventy.before" | "eleventy.after", fn: (args: EleventyEventArgs) => unknown): void;
  logger?: EleventyLogger;
  versionCheck?(range: string): void;
  directories?: Partial<EleventyDirectories>;
  pathPrefix?: string;
  addWatchTarget?(target: string, options?: { resetConfig?: boolean }): void;
  /** Globs (relative to the project root) Eleventy never reads as input. */
  ignores?: Set<string>;
  /** Globs whose changes never trigger a rebuild under --watch / --serve. */
  watchIgnores?: Set<string>;
  /** Set by Eleventy's `--quiet` (and `setQuietMode`). */
  quietMode?: boolean;
}
