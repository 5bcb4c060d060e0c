/**
 * The source locator, through the page cache: rows of a page it gave back keep the places found for
 * them before (its key holds their sources), as do those of pages an incremental rebuild kept while their
 * sources hold; the places found for other pages' rows are told to it,
 * to be kept with those pages.
 */
import type { Eventually } from "../eventually.js";
import { SourceLocator, type LinkToLocate, type SourceLocation } from "./source-locator.js";

export interface PlacesMemo {
  placesGiven(rows: object): Eventually<Array<SourceLocation | undefined> | undefined>;
  placesFound(rows: object, places: ReadonlyArray<SourceLocation | undefined>): void;
}

export class LocatorWithPlaces extends SourceLocator {
  constructor(
    root: string,
    sharedDirectories: string[],
    private readonly memo: PlacesMemo,
  ) {
    super(root, sharedDirectories);
  }

  override async locate(inputPath: string | undefined, links: readonly LinkToLocate[]): Promise<Array<SourceLocation | undefined>> {
    const given = await this.memo.placesGiven(links);
    if (given) return given;
    const found = await super.locate(inputPath, links);
    this.memo.placesFound(links, found);
    return found;
  }
}
