/**
 * Values per (store, ASIN), looked up without building a `store:ASIN` key
 * string. A build asks about every product in every tagged store, tens of
 * thousands of times, one product's stores in a row: so the index is by ASIN
 * first (one lookup in a big table, then a handful of stores that sit
 * together in memory), not by store (a miss in a big table per store).
 */
export class ByStore<T> {
  readonly #asins = new Map<string, Map<string, T>>();

  get(store: string, asin: string): T | undefined {
    return this.#asins.get(asin)?.get(store);
  }

  set(store: string, asin: string, value: T): void {
    let stores = this.#asins.get(asin);
    if (!stores) this.#asins.set(asin, (stores = new Map()));
    stores.set(store, value);
  }
}
