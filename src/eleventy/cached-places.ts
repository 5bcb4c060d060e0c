/**
 * The source locator, except for pages the page cache gave back: their rows were placed in an earlier
 * build against the same sources (the cache's key says so), so they are not searched for again.
 */
import type { PendingLink } from "./page-result.js";
import { SourceLocator, type LinkToLocate, type SourceLocation } from "./source-locator.js";

export class LocatorSkippingCached extends SourceLocator {
  constructor(
    root: string,
    sharedDirectories: string[],
    /** The links of pages given back by the cache in this build. */
    private readonly placed: WeakSet<readonly PendingLink[]>,
  ) {
    super(root, sharedDirectories);
  }

  override locate(inputPath: string | undefined, links: readonly LinkToLocate[]): Promise<Array<SourceLocation | undefined>> {
    if (!this.placed.has(links as readonly PendingLink[])) return super.locate(inputPath, links);
    return Promise.resolve(
      (links as readonly PendingLink[]).map(({ record }) => ({ file: record.input, line: record.line, column: record.column })),
    );
  }
}
