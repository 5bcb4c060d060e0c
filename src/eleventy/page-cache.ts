/**
 * What the plugin made of each page (the rewritten HTML and the page's result: rows, findings,
 * places), kept and given back while nothing that could change it has changed, so a rebuild costs
 * about what Eleventy's own does. In memory across `--serve`/`--watch` rebuilds; on disk between
 * builds (page-cache-file.ts), read once when the first build starts and written once at its end.
 *
 * A page is given back only when all of these are as they were:
 * - the build: the plugin's version and code, its resolved options, the project root, Eleventy's
 *   path prefix, and the lockfile (path, size, modification time, inode) as the build starts;
 * - the page: its bytes as the transform gets them, its output path and its input path;
 * - its input file's bytes (rows are placed in the source: an edit that leaves the output as it was
 *   can still move a link), and, when a row was placed elsewhere, the layouts, includes and data files;
 * - time: every verdict the page used is still fresh (verdict-watch.ts); pages with unverified,
 *   network or stale answers are never kept.
 *
 * An incremental rebuild keeps the results of pages it did not render: their rows keep their places
 * while the same sources hold, so the end of the build need not search for them again. Under
 * `--serve`/`--watch` the file is written a moment after the build, not during it.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Checker } from "../check/index.js";
import { systemClock, type Clock } from "../check/clock.js";
import { andThen, type Eventually } from "../eventually.js";
import { digest, fingerprint } from "./fingerprint.js";
import { pruneCacheFiles, readPageCacheFile, writePageCacheFile, type DiskEntry, type EntryToWrite } from "./page-cache-file.js";
import { type SourceLocation, toProjectPath } from "./source-locator.js";
import { VerdictWatch } from "./verdict-watch.js";

export interface ProcessedPage<R> {
  html: string;
  result: R | undefined;
}

export interface PageCacheSettings<R> {
  /** Everything of the plugin's set-up that decides pages: options, as resolved and as given, the root. */
  settings: unknown;
  /** The rows of a result, as the build's locator is handed them (`SourceLocator.locate`'s `links`). */
  rowsOf(result: R): object;
  /** Told of each page given back. */
  onHit?(result: R | undefined): void;
  clock?: Clock;
  /** The plugin's version and code (default: this installation's, from package.json and this module's file). */
  plugin?: unknown;
}

export interface PageCacheBuild {
  /** The file on disk (page-cache-file.ts), or undefined for memory only. */
  file: string | undefined;
  root: string;
  /** Eleventy's path prefix (the localization script's URL depends on it). */
  pathPrefix: string;
  lockfile: string | false;
  incremental: boolean;
  /** The layouts, includes and data files (project-relative), where rows not in the page's input are placed. */
  sharedFiles(): Promise<readonly string[]>;
}

export interface PageToProcess {
  html: string;
  outputPath: string;
  inputPath: string | undefined;
}

/** Hands the page's processing its checker, watched (undefined stays undefined: checking is off). */
export type WatchChecker = (checker: Checker | undefined) => Checker | undefined;

/** A stored value: in hand, or bytes from the file not read yet (kept for writing the file again). */
interface Stored<T> {
  value?: T;
  bytes?: Buffer | undefined;
}

interface Entry<R> {
  input: string | null;
  page: string;
  source: string;
  shared: string | null;
  notBefore: number;
  expires: number;
  /** Null when the page was left as it was. */
  html: Stored<string> | null;
  result: Stored<R> | null;
  /** Where its rows were placed (null: not known; a page is kept only once they are). */
  places: Stored<Places> | null;
}

/** One place per row: the source file that spells its URL, or none (the built file). */
type Places = Array<SourceLocation | null>;

/**
 * The plugin's version and the state of its code as installed: this module's file (a rebuilt `dist/` is
 * another plugin), and the bytes of the browser scripts pages get (rebuilt the same, they are not).
 */
function pluginIdentity(): unknown {
  const here = fileURLToPath(import.meta.url);
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(resolve(here, "../../../package.json"), "utf8")) as { version?: unknown }).version;
  } catch {
    version = null;
  }
  const state = stateOf(here);
  const scripts = ["localize.min.js", "localize-geo.min.js"].map((name) => {
    try {
      return digest(readFileSync(resolve(here, "../../../dist/client", name), "utf8"));
    } catch {
      return null;
    }
  });
  return { version, code: state ? [here, state.size, state.mtimeMs] : [here, null], scripts };
}

/** Fragments are kept beside pages, under a key no output path can have. */
const FRAGMENT = "\u0000fragment:";

/** Under `--serve`/`--watch`, the file is written this long after a build (a later build's end moves it). */
export const WRITE_DELAY_MS = 250;

export class PageCache<R> {
  readonly #settings: PageCacheSettings<R>;
  readonly #identity: string;
  readonly #clock: Clock;
  #entries = new Map<string, Entry<R>>();
  /** Rows (by identity) → their page's entry, while its result is in memory (incremental rebuilds). */
  #byRows = new WeakMap<object, { output: string; entry: Entry<R> }>();
  /** The file: the write under way (writes never overlap), and the one waiting for its delay. */
  #writing: Promise<void> = Promise.resolve();
  #cancelWrite: (() => void) | undefined;
  #building = false;
  #writeDue = false;
  /** The file is read when the first build starts; later builds trust memory, which they wrote. */
  #file: string | undefined;
  #ready: Promise<void> | undefined;
  #build = "";
  #incremental = false;
  #sharedFiles: () => Promise<readonly string[]> = async () => [];
  #root = "";
  /** Per build: pages asked for, entries made, whether the file must be written, digests of sources. */
  #seen = new Set<string>();
  #made = new Map<string, Entry<R>>();
  #changed = false;
  #sources = new Map<string, string>();
  #shared: Eventually<string> | undefined;
  /** Rows (by identity) → their places: given back with their page, or found by this build's locator. */
  #givenPlaces = new WeakMap<object, Places>();
  #foundPlaces = new WeakMap<object, Places>();

  constructor(settings: PageCacheSettings<R>) {
    this.#settings = settings;
    this.#clock = settings.clock ?? systemClock;
    this.#identity = fingerprint({ plugin: settings.plugin ?? pluginIdentity(), settings: settings.settings });
  }

  /** A build starts. Call before the lockfile is read, so that its state is taken first. */
  beginBuild(build: PageCacheBuild): void {
    const lockfile = build.lockfile === false ? false : resolve(build.root, build.lockfile);
    const stats = lockfile === false ? undefined : stateOf(lockfile);
    const previous = this.#build;
    this.#build = fingerprint({
      identity: this.#identity,
      pathPrefix: build.pathPrefix,
      root: build.root,
      lockfile: lockfile && (stats ? [lockfile, stats.size, stats.mtimeMs, stats.ino] : [lockfile, "absent"]),
    });
    if ((previous && previous !== this.#build) || build.file !== this.#file) {
      this.#entries.clear();
      this.#byRows = new WeakMap();
    }
    this.#building = true;
    this.#incremental = build.incremental;
    this.#sharedFiles = build.sharedFiles;
    this.#root = build.root;
    this.#seen = new Set();
    this.#made = new Map();
    this.#changed = false;
    this.#sources = new Map();
    this.#shared = undefined;
    this.#givenPlaces = new WeakMap();
    this.#foundPlaces = new WeakMap();
    const { file } = build;
    if (file && file !== this.#file) {
      const ready = readPageCacheFile(file, this.#build).then((loaded) => {
        if (loaded) for (const entry of loaded.entries) this.#entries.set(entry.output, fromDisk<R>(entry, loaded.bytes));
        if (this.#ready === ready) this.#ready = undefined;
      });
      this.#ready = ready;
    }
    this.#file = file;
  }

  /**
   * Content rendered for somewhere else (a feed entry, through the RSS plugin's renderTransforms): no
   * checks, no rows, so its bytes alone (and the build's key) decide what it becomes.
   */
  fragment(html: string, compute: () => Eventually<string>): Eventually<string> {
    return andThen(this.#ready, () => {
      const key = `${FRAGMENT}${digest(html)}`;
      this.#seen.add(key);
      const entry = this.#entries.get(key) ?? this.#made.get(key);
      if (entry) return entry.html === null ? html : (entry.html.value ??= entry.html.bytes!.toString("utf8"));
      return andThen(compute(), (rewritten) => {
        this.#made.set(key, {
          input: null,
          page: key.slice(FRAGMENT.length),
          source: "",
          shared: null,
          notBefore: Number.NEGATIVE_INFINITY,
          expires: Number.POSITIVE_INFINITY,
          html: rewritten === html ? null : { value: rewritten },
          result: null,
          places: { value: [] },
        });
        this.#changed = true;
        return rewritten;
      });
    });
  }

  /**
   * The page as processed before, when nothing that could change it has changed; else `compute`'s
   * answer (given a checker to hand on, watched), kept when its verdicts allow.
   */
  process(page: PageToProcess, compute: (watch: WatchChecker) => Eventually<ProcessedPage<R>>): Eventually<ProcessedPage<R>> {
    return andThen(this.#ready, () => {
      this.#seen.add(page.outputPath);
      const entry = this.#entries.get(page.outputPath);
      const pageDigest = entry ? digest(page.html) : undefined;
      return andThen(entry ? this.#holds(entry, page, pageDigest!) : false, (holds): Eventually<ProcessedPage<R>> => {
        if (holds) return this.#give(entry!, page);
        if (entry) {
          this.#entries.delete(page.outputPath);
          this.#changed = true;
        }
        let watch: VerdictWatch | undefined;
        const processed = compute((checker) => {
          if (!checker) return checker;
          watch = new VerdictWatch(checker, () => this.#clock.now());
          return watch.checker;
        });
        return andThen(processed, (processed) => {
          const window = watch?.window() ?? { cacheable: true, notBefore: Number.NEGATIVE_INFINITY, expires: Number.POSITIVE_INFINITY };
          if (window.cacheable) {
            this.#made.set(page.outputPath, {
              input: page.inputPath ?? null,
              page: pageDigest ?? digest(page.html),
              source: "",
              shared: null,
              notBefore: window.notBefore,
              expires: window.expires,
              html: processed.html === page.html ? null : { value: processed.html },
              result: processed.result === undefined ? null : { value: processed.result },
              places: null,
            });
            this.#changed = true;
          }
          return processed;
        });
      });
    });
  }

  /**
   * The build is over and its rows are placed: keep what it made, drop pages it no longer has, and
   * write the file when anything changed (`write` false: a dry run). `current` is the result the build
   * reports for an output; an incremental build keeps the pages it did not render while it still does.
   */
  async endBuild(options: { write: boolean; later?: boolean; current(outputPath: string): R | undefined }): Promise<void> {
    for (const [output, entry] of this.#made) {
      // A page is kept with its rows' places, found by this build's locator (none when it has no rows).
      if (await this.#seal(entry)) {
        this.#entries.set(output, entry);
        const result = entry.result?.value;
        if (result !== undefined) this.#byRows.set(this.#settings.rowsOf(result), { output, entry });
      }
    }
    for (const [output, entry] of this.#entries) {
      if (this.#seen.has(output)) continue;
      const result = options.current(output);
      // An incremental build keeps pages it did not render, with their rows' places: the same while
      // their sources held, else found again against today's sources, which now key them.
      const kept = this.#incremental && result !== undefined && entry.result?.value === result ? await this.#seal(entry) : false;
      if (!kept) this.#entries.delete(output);
      if (kept !== "as it was") this.#changed = true;
    }
    this.#made = new Map();
    this.#building = false;
    const file = this.#file;
    if (!file || !options.write || !(this.#changed || this.#writeDue)) return;
    this.#cancelWrite?.();
    this.#cancelWrite = undefined;
    this.#writeDue = false;
    if (!options.later) return this.#save(file, { whileWriting: true });
    this.#cancelWrite = this.#clock.timer(WRITE_DELAY_MS, () => {
      this.#cancelWrite = undefined;
      // A build under way changes entries: its own end writes them.
      if (this.#building) this.#writeDue = true;
      else void this.#save(file);
    });
  }

  /** The writes asked for so far, done (a test, or a process about to end, waits for them). */
  async saved(): Promise<void> {
    await this.#writing;
  }

  /**
   * `whileWriting`: each entry encoded as the file reaches it, so the file's text is never all in memory
   * (a one-shot build: nothing changes the entries any more). Else the entries as they are now, encoded
   * before any await, so a later build cannot change what is written.
   */
  #save(file: string, { whileWriting = false } = {}): Promise<void> {
    const entries = [...this.#entries];
    const encoded = (function* () {
      for (const [output, entry] of entries) yield toWrite(output, entry);
    })();
    const toWriteNow = whileWriting ? encoded : [...encoded];
    const build = this.#build;
    this.#writing = this.#writing.then(async () => {
      try {
        await writePageCacheFile(file, build, toWriteNow);
        await pruneCacheFiles(file);
      } catch {
        // Best effort (read-only node_modules, full disk): the next build does the work again.
      }
    });
    return this.#writing;
  }

  #holds(entry: Entry<R>, page: PageToProcess, pageDigest: string): Eventually<boolean> {
    const now = this.#clock.now();
    if (entry.input !== (page.inputPath ?? null) || !(entry.notBefore <= now && now < entry.expires) || entry.page !== pageDigest)
      return false;
    if (entry.source !== this.#source(entry.input)) return false;
    return entry.shared === null || andThen(this.#sharedDigest(), (shared) => shared === entry.shared);
  }

  #give(entry: Entry<R>, page: PageToProcess): ProcessedPage<R> {
    const html = entry.html === null ? page.html : (entry.html.value ??= entry.html.bytes!.toString("utf8"));
    const result = entry.result === null ? undefined : (entry.result.value ??= JSON.parse(entry.result.bytes!.toString("utf8")) as R);
    if (result !== undefined && entry.places) {
      const rows = this.#settings.rowsOf(result);
      this.#givenPlaces.set(rows, placesOf(entry.places));
      this.#byRows.set(rows, { output: page.outputPath, entry });
    }
    this.#settings.onHit?.(result);
    return { html, result };
  }

  /**
   * The places of rows the locator need not search for: those of a page given back in this build, and,
   * in an incremental rebuild, those of a page kept from an earlier build while its sources hold.
   */
  placesGiven(rows: object): Eventually<Array<SourceLocation | undefined> | undefined> {
    const outward = (places: Places) => places.map((place) => place ?? undefined);
    const given = this.#givenPlaces.get(rows);
    if (given) return outward(given);
    const kept = this.#incremental ? this.#byRows.get(rows) : undefined;
    if (!kept || this.#seen.has(kept.output) || this.#entries.get(kept.output) !== kept.entry) return undefined;
    const { entry } = kept;
    if (!entry.places || entry.source !== this.#source(entry.input)) return undefined;
    const places = placesOf(entry.places);
    return andThen(entry.shared === null || andThen(this.#sharedDigest(), (shared) => shared === entry.shared), (holds) => {
      if (!holds) return undefined;
      this.#givenPlaces.set(rows, places);
      return outward(places);
    });
  }

  /** The places this build's locator found for a page's rows. */
  placesFound(rows: object, places: ReadonlyArray<SourceLocation | undefined>): void {
    this.#foundPlaces.set(
      rows,
      places.map((place) => (place ? { file: place.file, line: place.line, column: place.column } : null)),
    );
  }

  /**
   * Key what a page's rows were placed against: its input file, and, when a row is not in it, the
   * layouts, includes and data files (searched after it). False when its rows were not placed; "as it
   * was" when they kept the places the entry had (placesGiven), against the same sources.
   */
  async #seal(entry: Entry<R>): Promise<boolean | "as it was"> {
    const result = entry.result?.value;
    if (result !== undefined) {
      const rows = this.#settings.rowsOf(result);
      const found = this.#foundPlaces.get(rows);
      if (!found) return this.#givenPlaces.has(rows) ? "as it was" : false;
      entry.places = { value: found };
      // Rows placed again are no longer what the file holds.
      if (entry.result) entry.result.bytes = undefined;
    }
    entry.source = this.#source(entry.input);
    const input = entry.input === null ? undefined : toProjectPath(entry.input, this.#root);
    const outside = result !== undefined && (input === undefined || placesOf(entry.places!).some((place) => place?.file !== input));
    entry.shared = outside ? await this.#sharedDigest() : null;
    return true;
  }

  /** Digest of an input file's bytes ("" when it has none or cannot be read), once per build. */
  #source(input: string | null): string {
    if (input === null) return "";
    let known = this.#sources.get(input);
    if (known === undefined) {
      try {
        known = digest(readFileSync(resolve(this.#root, input)));
      } catch {
        known = "";
      }
      this.#sources.set(input, known);
    }
    return known;
  }

  /** Digest of the shared files' paths and states, once per build. */
  #sharedDigest(): Eventually<string> {
    this.#shared ??= this.#sharedFiles().then((files) => {
      const states = files.map((file) => {
        const stats = stateOf(resolve(this.#root, file));
        return [file, stats ? [stats.size, stats.mtimeMs, stats.ino] : null];
      });
      return (this.#shared = fingerprint(states));
    });
    return this.#shared;
  }
}

/** A file's size, time and inode, or undefined when it cannot be read (missing, or not ours to read). */
function stateOf(path: string): { size: number; mtimeMs: number; ino: number } | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function placesOf(stored: Stored<Places>): Places {
  return (stored.value ??= JSON.parse(stored.bytes!.toString("utf8")) as Places);
}

function fromDisk<R>(entry: DiskEntry, bytes: Buffer): Entry<R> {
  const slice = (range: [number, number] | null) => (range === null ? null : { bytes: bytes.subarray(range[0], range[1]) });
  return {
    input: entry.input,
    page: entry.page,
    source: entry.source,
    shared: entry.shared,
    notBefore: entry.notBefore ?? Number.NEGATIVE_INFINITY,
    expires: entry.expires ?? Number.POSITIVE_INFINITY,
    html: slice(entry.html),
    result: slice(entry.result),
    places: slice(entry.places),
  };
}

function toWrite<R>(output: string, entry: Entry<R>): EntryToWrite {
  const bound = (n: number) => (Number.isFinite(n) ? n : null);
  return {
    meta: {
      output,
      input: entry.input,
      page: entry.page,
      source: entry.source,
      shared: entry.shared,
      notBefore: bound(entry.notBefore),
      expires: bound(entry.expires),
    },
    html: entry.html === null ? null : (entry.html.bytes ?? entry.html.value!),
    result: entry.result === null ? null : (entry.result.bytes ?? JSON.stringify(entry.result.value)),
    places: entry.places === null ? null : (entry.places.bytes ?? JSON.stringify(entry.places.value)),
  };
}
