/**
 * A product's name from a store page's `<title>`, without the store's
 * decoration. The shapes are the ones real pages carry
 * (test/fixtures/amazon-pages/):
 *
 *   Amazon.com: SainSmart 4-Channel Relay Module : Automotive
 *   Tiamat's Wrath: Book 8 …: Amazon.de: James S. A. Corey: Fremdsprachige Bücher
 *   Cecotec Robot Limpiacristales … : Amazon.es: Hogar y cocina
 *   Die Argonauten eBook: Maggie Nelson, Jan Wilm: Amazon.de: Kindle-Shop
 *   The Whole Truth (A. Shaw Book 1) - Kindle edition by Baldacci, David. … Kindle eBooks @ Amazon.com.
 *   Modern LED Wall Sconce … - - Amazon.com
 *
 * Only string searches over a title already capped in length: no pattern
 * that could backtrack.
 */

/** Where "Amazon.<domain>" starts at or after `from`, with its end; -1 when absent. */
function findStoreName(title: string, from = 0): { start: number; end: number } | undefined {
  let at = title.indexOf("Amazon.", from);
  while (at >= 0) {
    let end = at + "Amazon.".length;
    while (end < title.length && /[a-z.]/.test(title[end]!)) end++;
    // "Amazon.co.uk" but not "Amazon.Something": a lower-case domain of two letters or more.
    if (end - at >= "Amazon.".length + 2) return { start: at, end: title[end - 1] === "." ? end - 1 : end };
    at = title.indexOf("Amazon.", at + 1);
  }
  return undefined;
}

function trimSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && " :-|".includes(text[start]!)) start++;
  while (end > start && " :-|".includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

export function productNameFromTitle(title: string): string | undefined {
  let name = title.trim();
  const kindle = name.indexOf(" - Kindle edition by ");
  if (kindle > 0) name = name.slice(0, kindle);
  const store = findStoreName(name);
  if (store && store.start === 0) {
    // "Amazon.com: <name> : <department>"
    name = name.slice(store.end);
    const department = name.lastIndexOf(" : ");
    if (department > 0) name = name.slice(0, department);
  } else if (store) {
    // "<name>: Amazon.de: <authors>: <department>", "<name> - - Amazon.com", "<name> … @ Amazon.com."
    name = name.slice(0, store.start);
    const at = name.lastIndexOf(" @");
    if (at >= 0 && trimSeparators(name.slice(at + 2)) === "")
      name = name.slice(0, name.lastIndexOf(" Kindle eBooks", at) >= 0 ? name.lastIndexOf(" Kindle eBooks", at) : at);
  }
  // Kindle titles put the authors after "eBook:" before the store.
  for (const marker of [" eBook: ", " eBook : ", " Kindle Edition: ", " Kindle Edition : "]) {
    const at = name.indexOf(marker);
    if (at > 0) name = name.slice(0, at);
  }
  name = trimSeparators(name);
  // A bare store name ("Amazon.com", "Amazon.in") is an interstitial's title, not a product's.
  if (!name || name === "Amazon" || findStoreName(name)?.start === 0) return undefined;
  return name;
}
