/**
 * Map a link in a built page back to the file a person edits.
 *
 * Parsing every source (Markdown, templates, data) to get positions would cost
 * a parse per page and a parser per language, so we search the raw source text for the URL instead: the
 * page's own input file first, then layouts, includes and data files. The nth
 * copy of a URL in the output maps to the nth unused copy in the source.
 *
 * Each source is read in one pass into an index of the URLs it spells (start,
 * then everything up to the character that ends a URL), so a link is a map
 * look-up and its copies are taken in order: a file with 100,000 links costs
 * one scan, not one scan per link. Spellings the index cannot hold (URLs
 * inside other URLs, spellings with a closing bracket) fall back to a search
 * that resumes where the last one for that spelling stopped.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { lineStartsOf, positionAt } from "../html/text-position.js";

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

interface SourceText {
  text: string;
  /** Made when a link is found in it. */
  lineStarts: number[] | undefined;
  /** URL → its offsets in order, made on the first look-up. */
  urls: Map<string, number[]> | undefined;
  /** Spellings with no copy at all (searched once per build, not once per page). */
  absent: Set<string>;
}

/** What one page's look-ups have taken from one source file. */
interface FileCursor {
  /** Offsets already given to a link. */
  taken: Set<number>;
  /** URL → how many of its indexed offsets are behind us. */
  nextIndexed: Map<string, number>;
  /** Spelling → offset its next fallback search starts at (everything before is taken or no match). */
  nextSearch: Map<string, number>;
}

export function toProjectPath(path: string, root: string): string {
  return relative(root, resolve(root, path)).split(sep).join("/");
}

/** The ways one href can be written in a source file: as Eleventy produced it first. */
function hrefSpellings(href: string, rawAttribute?: string): string[] {
  const spellings = [href];
  if (rawAttribute !== undefined) spellings.push(rawAttribute);
  if (href.includes("&")) spellings.push(href.replace(/&/g, "&amp;"));
  try {
    spellings.push(decodeURI(href));
  } catch {
    // not percent-encoded text: nothing to add
  }
  return [...new Set(spellings.filter((s) => s.length > 0))];
}

/** One link to locate: its href as found in the built file, and the attribute as written when that differs. */
export interface LinkToLocate {
  original: string;
  raw?: string | undefined;
}

// After a URL in a source: whitespace, a quote, a bracket or a table pipe (so /dp/B0 does not match /dp/B01).
const AFTER_URL = /[\s"'<>)\]`|]/;
// A URL as the index keeps it: "http(s)://" or "//", then everything up to a character of AFTER_URL.
const INDEXED_URL = /(?:https?:)?\/\/[^\s"'<>)\]`|]*/gi;
const INDEXABLE = /^(?:https?:)?\/\/[^\s"'<>)\]`|]*$/i;
const SCHEME = /^https?:/i;

/** One pass over a source: every URL it spells, and the same without the scheme (for "//host/…" hrefs). */
function indexUrls(text: string): Map<string, number[]> {
  const urls = new Map<string, number[]>();
  const add = (url: string, at: number) => {
    const offsets = urls.get(url);
    if (offsets) offsets.push(at);
    else urls.set(url, [at]);
  };
  for (const match of text.matchAll(INDEXED_URL)) {
    add(match[0], match.index);
    const scheme = SCHEME.exec(match[0]);
    if (scheme) add(match[0].slice(scheme[0].length), match.index + scheme[0].length);
  }
  return urls;
}
const SOURCE_EXTENSIONS =
  /\.(md|markdown|njk|liquid|html|htm|webc|11ty\.js|11ty\.cjs|11ty\.mjs|hbs|mustache|ejs|haml|pug|json|ya?ml|js|cjs|mjs|toml)$/i;

export class SourceLocator {
  readonly #root: string;
  readonly #sharedDirectories: string[];
  /** Layouts, includes and data files, read once per build (many pages share them). */
  readonly #texts = new Map<string, SourceText | undefined>();
  /** The last page input read: kept only while its pages are located (paginated templates make many in a row). */
  #lastInput: { file: string; text: SourceText | undefined } | undefined;
  #sharedFiles: Promise<string[]> | undefined;

  /** `sharedDirectories`: layouts, includes and data directories, searched after the page's own input. */
  constructor(root: string, sharedDirectories: string[]) {
    this.#root = root;
    this.#sharedDirectories = [...new Set(sharedDirectories.map((d) => resolve(root, d)))];
  }

  /** Sources are small and read after rendering: a sync read costs less than the async round trip. */
  #load(file: string): SourceText | undefined {
    try {
      return { text: readFileSync(resolve(this.#root, file), "utf8"), lineStarts: undefined, urls: undefined, absent: new Set() };
    } catch {
      return undefined; // virtual templates (feeds) and removed files have no source to search
    }
  }

  /** A page's own input: not kept for the whole build (a big site has thousands, each read for its own pages). */
  #readInput(file: string): SourceText | undefined {
    if (this.#texts.has(file)) return this.#texts.get(file);
    if (this.#lastInput?.file !== file) this.#lastInput = { file, text: this.#load(file) };
    return this.#lastInput.text;
  }

  #readShared(file: string): SourceText | undefined {
    if (!this.#texts.has(file)) this.#texts.set(file, this.#load(file));
    return this.#texts.get(file);
  }

  /** The layouts, includes and data files searched after a page's own input (project-relative, sorted). */
  sharedFiles(): Promise<string[]> {
    return this.#listShared();
  }

  async #listShared(): Promise<string[]> {
    this.#sharedFiles ??= (async () => {
      const files: string[] = [];
      for (const directory of this.#sharedDirectories) {
        const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          if (!entry.isFile() || !SOURCE_EXTENSIONS.test(entry.name)) continue;
          const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path?: string }).path ?? directory;
          files.push(toProjectPath(join(parent, entry.name), this.#root));
        }
      }
      return [...new Set(files)].sort();
    })();
    return this.#sharedFiles;
  }

  /**
   * Locate each link of one page; the result holds undefined where no source
   * file names that URL. Most links are found as their href in the page's own
   * input: the other spellings are worked out only for the rest.
   */
  async locate(inputPath: string | undefined, links: readonly LinkToLocate[]): Promise<Array<SourceLocation | undefined>> {
    const cursors = new Map<string, FileCursor>();
    const results = new Array<SourceLocation | undefined>(links.length);
    const input = inputPath ? toProjectPath(inputPath, this.#root) : undefined;
    let shared: string[] | undefined;

    const take = (file: string, source: SourceText, cursor: FileCursor, at: number): SourceLocation => {
      cursor.taken.add(at);
      const { line, column } = positionAt((source.lineStarts ??= lineStartsOf(source.text)), at);
      return { file, line, column };
    };
    const findIn = (file: string, spelling: string): SourceLocation | undefined => {
      const source = file === input ? this.#readInput(file) : this.#readShared(file);
      if (!source || spelling.length === 0 || source.absent.has(spelling)) return undefined;
      let cursor = cursors.get(file);
      if (!cursor) cursors.set(file, (cursor = { taken: new Set(), nextIndexed: new Map(), nextSearch: new Map() }));
      if (INDEXABLE.test(spelling)) {
        const offsets = (source.urls ??= indexUrls(source.text)).get(spelling);
        if (offsets) {
          let next = cursor.nextIndexed.get(spelling) ?? 0;
          while (next < offsets.length && cursor.taken.has(offsets[next]!)) next++;
          cursor.nextIndexed.set(spelling, next + 1);
          if (next < offsets.length) return take(file, source, cursor, offsets[next]!);
        }
      }
      const text = source.text;
      const from = cursor.nextSearch.get(spelling) ?? 0;
      let copies = 0;
      for (let at = text.indexOf(spelling, from); at !== -1; at = text.indexOf(spelling, at + 1)) {
        const next = text[at + spelling.length];
        if (next !== undefined && !AFTER_URL.test(next)) continue;
        copies++;
        if (!cursor.taken.has(at)) {
          cursor.nextSearch.set(spelling, at + 1);
          return take(file, source, cursor, at);
        }
      }
      cursor.nextSearch.set(spelling, text.length);
      if (from === 0 && copies === 0) source.absent.add(spelling);
      return undefined;
    };
    const findAny = (file: string, spellings: readonly string[]): SourceLocation | undefined => {
      for (const spelling of spellings) {
        const found = findIn(file, spelling);
        if (found) return found;
      }
      return undefined;
    };

    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      let found = input ? findIn(input, link.original) : undefined;
      if (!found) {
        const spellings = hrefSpellings(link.original, link.raw);
        if (input)
          found = findAny(
            input,
            spellings.filter((spelling) => spelling !== link.original),
          );
        if (!found) {
          shared ??= await this.#listShared();
          for (const file of shared) {
            if (file === input) continue;
            found = findAny(file, spellings);
            if (found) break;
          }
        }
      }
      results[i] = found;
    }
    return results;
  }
}
