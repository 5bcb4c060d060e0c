/**
 * Incremental rebuilds (`--serve --incremental`, `--watch --incremental`) re-render only what
 * changed, so the plugin keeps the other pages' results from earlier builds. A page whose input was
 * deleted, renamed or moved, or whose template now writes elsewhere, is never rendered again: its
 * results must go, or the server keeps reporting errors that no longer exist. Eleventy does not
 * rebuild on a deletion, nor remove the old output, and may render a deleted template again from
 * its cache, so each result is checked at the end of a watch-mode build: dropped when its input
 * file is gone, or when its input was rendered in this build to other outputs. Virtual templates
 * (feeds a plugin adds) have no input file: theirs is dropped when their output file is gone.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { PageResult } from "./page-result.js";

export class VanishedPages {
  #inputs = new Set<string>();
  #outputs = new Set<string>();
  /** Input paths that were files when their page was rendered (not virtual templates). */
  readonly #onDisk = new Map<string, boolean>();

  constructor(private readonly root: string) {}

  /** A new build starts: nothing rendered yet. */
  beginBuild(): void {
    this.#inputs = new Set();
    this.#outputs = new Set();
  }

  /** A page Eleventy rendered in this build. */
  note(inputPath: string | undefined, outputPath: string): void {
    if (inputPath) this.#inputs.add(inputPath);
    this.#outputs.add(outputPath);
  }

  /** Drop, from the results, the pages that no longer exist. */
  async prune(results: Map<string, PageResult>): Promise<void> {
    const exists = (path: string) =>
      stat(resolve(this.root, path)).then(
        () => true,
        // Gone; any other failure (no permission) says nothing of whether it is there.
        (error: NodeJS.ErrnoException) => error.code !== "ENOENT" && error.code !== "ENOTDIR",
      );
    const verdicts = [...results].map(async ([outputPath, result]): Promise<string | undefined> => {
      const input = result.inputPath;
      const fromFile = input !== undefined && this.#onDisk.get(input) === true;
      // A deleted input: Eleventy may even render it again from its cache, so this comes first.
      if (fromFile) {
        if (!(await exists(input))) return outputPath;
      } else if (input && this.#outputs.has(outputPath)) {
        this.#onDisk.set(input, await exists(input));
      }
      if (this.#outputs.has(outputPath)) return undefined; // rendered now: current
      if (input && this.#inputs.has(input)) return outputPath; // its template now writes other pages
      // Its input is still there and was not rendered: its page stands. A virtual template has only its output.
      return fromFile || (await exists(outputPath)) ? undefined : outputPath;
    });
    // (What #onDisk learned stays: a deleted input rendered again from Eleventy's cache is dropped again.)
    for (const gone of await Promise.all(verdicts)) if (gone) results.delete(gone);
  }
}
