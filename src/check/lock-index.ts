/**
 * The lockfile's verdicts in a compact form a build can query tens of
 * thousands of times (every product in every tagged store) without holding
 * one object per entry: a few strings and typed arrays, which V8's serializer
 * keeps between builds (lock-cache.ts). Entries become objects only when a
 * caller needs one.
 */
import type { LockData, LockEntry, ShortLinkEntry } from "./lockfile.js";

/** Plain data (strings, typed arrays, one small object): structured-cloneable, buffers transferable. */
export interface PackedLock {
  /** Distinct ASINs, 10 characters each. */
  asins: string;
  /** Rows of ASIN i are groupStart[i] … groupStart[i + 1] - 1. */
  groupStart: Uint32Array;
  /** Per row: the store code, 2 characters. */
  stores: string;
  /** Per row: 0 live, 1 dead, 2 live but shown as unavailable. */
  dead: Uint8Array;
  /** Per row: 0 page, 1 creators. */
  creators: Uint8Array;
  /** Per row: checkedAt as epoch milliseconds. */
  checkedAtMs: Float64Array;
  /** Per row, three fields (checkedAt as written, title, redirectedTo; "" when absent), ending at fieldEnds[3 * row + k]. */
  fields: string;
  fieldEnds: Uint32Array;
  shortLinks: Record<string, ShortLinkEntry>;
}

/**
 * Builds the packed form one entry at a time, as validation meets them (see `readLockfile`'s visitor):
 * one pass over the file's entries, each date parsed once. Entries are grouped by ASIN so one
 * product's stores sit together.
 */
export class LockPacker {
  /** ASIN → its entries' arrival numbers. */
  readonly #groups = new Map<string, number[]>();
  readonly #stores: string[] = [];
  readonly #entries: LockEntry[] = [];
  readonly #checkedAtMs: number[] = [];

  readonly add = (key: string, entry: LockEntry, checkedAtMs: number): void => {
    const n = this.#entries.length;
    const asin = key.slice(3);
    const group = this.#groups.get(asin);
    if (group) group.push(n);
    else this.#groups.set(asin, [n]);
    this.#stores.push(key.slice(0, 2));
    this.#entries.push(entry);
    this.#checkedAtMs.push(checkedAtMs);
  };

  finish(shortLinks: Record<string, ShortLinkEntry>): PackedLock {
    const count = this.#entries.length;
    const groupStart = new Uint32Array(this.#groups.size + 1);
    const dead = new Uint8Array(count);
    const creators = new Uint8Array(count);
    const checkedAtMs = new Float64Array(count);
    const fieldEnds = new Uint32Array(count * 3);
    const asins: string[] = [];
    const stores: string[] = [];
    const fields: string[] = [];
    let row = 0;
    let group = 0;
    let end = 0;
    for (const [asin, arrivals] of this.#groups) {
      asins.push(asin);
      groupStart[group++] = row;
      for (const n of arrivals) {
        const entry = this.#entries[n]!;
        stores.push(this.#stores[n]!);
        dead[row] = entry.status === "dead" ? 1 : entry.available === false ? 2 : 0;
        creators[row] = entry.via === "creators" ? 1 : 0;
        checkedAtMs[row] = this.#checkedAtMs[n]!;
        const title = entry.title ?? "";
        const redirectedTo = entry.redirectedTo ?? "";
        fields.push(entry.checkedAt, title, redirectedTo);
        fieldEnds[3 * row] = end += entry.checkedAt.length;
        fieldEnds[3 * row + 1] = end += title.length;
        fieldEnds[3 * row + 2] = end += redirectedTo.length;
        row++;
      }
    }
    groupStart[group] = row;
    return {
      asins: asins.join(""),
      groupStart,
      stores: stores.join(""),
      dead,
      creators,
      checkedAtMs,
      fields: fields.join(""),
      fieldEnds,
      shortLinks,
    };
  }
}

/** Pack lockfile data already in memory (validated). */
export function packLock(data: LockData): PackedLock {
  const packer = new LockPacker();
  for (const key in data.entries) {
    const entry = data.entries[key]!;
    packer.add(key, entry, Date.parse(entry.checkedAt));
  }
  return packer.finish(data.shortLinks);
}

/** Lookups over a packed lockfile. A row number stands for one (store, ASIN) entry. */
export class LockIndex {
  readonly #packed: PackedLock;
  /** ASIN → its group. */
  readonly #groups = new Map<string, number>();
  /** Rows already counted as lockfile hits (each product and store once per run). */
  readonly #counted: Uint8Array;

  constructor(packed: PackedLock) {
    this.#packed = packed;
    const groups = packed.groupStart.length - 1;
    for (let i = 0; i < groups; i++) this.#groups.set(packed.asins.slice(10 * i, 10 * i + 10), i);
    this.#counted = new Uint8Array(packed.dead.length);
  }

  get size(): number {
    return this.#packed.dead.length;
  }

  get shortLinks(): Record<string, ShortLinkEntry> {
    return this.#packed.shortLinks;
  }

  /** The row of (store, ASIN), or -1. Allocation-free: this is the hot path of availability questions. */
  row(store: string, asin: string): number {
    const group = this.#groups.get(asin);
    if (group === undefined) return -1;
    const { groupStart, stores } = this.#packed;
    const a = store.charCodeAt(0);
    const b = store.charCodeAt(1);
    for (let row = groupStart[group]!, end = groupStart[group + 1]!; row < end; row++) {
      if (stores.charCodeAt(2 * row) === a && stores.charCodeAt(2 * row + 1) === b) return row;
    }
    return -1;
  }

  status(row: number): "live" | "dead" {
    return this.#packed.dead[row] === 1 ? "dead" : "live";
  }

  /** False when the product was live but shown as unavailable. */
  available(row: number): boolean {
    return this.#packed.dead[row] !== 2;
  }

  checkedAtMs(row: number): number {
    return this.#packed.checkedAtMs[row]!;
  }

  /** True the first time a row is counted. */
  firstHit(row: number): boolean {
    if (this.#counted[row]) return false;
    this.#counted[row] = 1;
    return true;
  }

  /** The entry as the lockfile holds it. */
  entry(row: number): LockEntry {
    const { fields, fieldEnds } = this.#packed;
    const start = row === 0 ? 0 : fieldEnds[3 * row - 1]!;
    const titleStart = fieldEnds[3 * row]!;
    const redirectStart = fieldEnds[3 * row + 1]!;
    const end = fieldEnds[3 * row + 2]!;
    const entry: LockEntry = {
      status: this.status(row),
      checkedAt: fields.slice(start, titleStart),
      via: this.#packed.creators[row] ? "creators" : "page",
    };
    if (redirectStart > titleStart) entry.title = fields.slice(titleStart, redirectStart);
    if (end > redirectStart) entry.redirectedTo = fields.slice(redirectStart, end);
    if (!this.available(row)) entry.available = false;
    return entry;
  }

  /** Every entry, keyed `<store>:<ASIN>` (for `amazon-links refresh`, not for builds). */
  entries(): Record<string, LockEntry> {
    const out: Record<string, LockEntry> = {};
    const { groupStart, asins, stores } = this.#packed;
    for (let group = 0; group < groupStart.length - 1; group++) {
      const asin = asins.slice(10 * group, 10 * group + 10);
      for (let row = groupStart[group]!; row < groupStart[group + 1]!; row++)
        out[`${stores.slice(2 * row, 2 * row + 2)}:${asin}`] = this.entry(row);
    }
    return out;
  }
}
