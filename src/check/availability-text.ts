/**
 * Whether a product page's `#availability` text says the product cannot be
 * bought now. Each phrase is what that store writes at the start of the box,
 * as scrapers reading `#availability` on the live stores match it:
 * en "Currently unavailable. We don't know when or if this item will be back
 * in stock." (FairGame's log of amazon.com), fr/es (amazon.fr/.es scrapers),
 * it (amazon.it userscript), ja (amazon.co.jp crawlers), de as issue #15
 * reports it. Other text
 * ("In Stock.", "Auf Lager.", a release date for a pre-order) is available.
 */
const UNAVAILABLE_PREFIXES = [
  "currently unavailable",
  "temporarily out of stock",
  "derzeit nicht verfügbar",
  "actuellement indisponible",
  "no disponible",
  "attualmente non disponibile",
  "non disponibile",
  "現在在庫切れです",
  "一時的に在庫切れ",
  "現在お取り扱いできません",
];

/** True when the text of `#availability` says the product is unavailable. */
export function saysUnavailable(availability: string): boolean {
  const text = availability.trim().toLowerCase();
  return UNAVAILABLE_PREFIXES.some((prefix) => text.startsWith(prefix));
}
