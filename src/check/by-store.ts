/**
 * Values per (store, ASIN), looked up without building a `store:ASIN` key
 * string: a build asks about every product in every tagged store, tens of
 * thousands of times, and a fresh key per lookup (worse, as an object
 * property, which V8 must intern) costs more than the rest of the answer.
 */
export class ByStore<T> {
  readonly #stores = new Map<string, Map<string, T>>();

  get(store: string, asin: string): T | undefined {
    return this.#stores.get(store)?.get(asin);
  }

  set(store: string, asin: string, value: T): void {
    let asins = this.#stores.get(store);
    if (!asins) this.#stores.set(store, (asins = new Map()));
    asins.set(asin, value);
  }
}
