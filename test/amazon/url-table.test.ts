/**
 * The URL table: every shape and store the URL model must understand, and the
 * hosts and schemes it must never treat as Amazon. Each row asserts what
 * `parseAmazonUrl` says (kind, store, ASIN and its validity, tag) and what
 * `formatAmazonUrl(parsed, { tag: "ours-20" })` writes.
 *
 * The stores are written out here on purpose (not imported from stores.ts), so
 * the table checks the data rather than echoing it.
 */
import { describe, expect, it } from "vitest";
import { formatAmazonUrl } from "../../src/amazon/format.js";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import type { AmazonUrlKind } from "../../src/amazon/parse.js";

const TAG = "ours-20";

interface Case {
  readonly href: string;
  /** null: never Amazon. */
  readonly kind: AmazonUrlKind | null;
  readonly marketplace?: string;
  readonly asin?: string;
  readonly asinValid?: boolean;
  readonly tag?: string;
  /** `formatAmazonUrl(parsed, { tag: "ours-20" })`. */
  readonly out?: string;
}

/** Store code → domain, as DESIGN.md / REFERENCE.md name them. */
const STORES: ReadonlyArray<readonly [string, string]> = [
  ["us", "amazon.com"],
  ["ca", "amazon.ca"],
  ["mx", "amazon.com.mx"],
  ["br", "amazon.com.br"],
  ["uk", "amazon.co.uk"],
  ["de", "amazon.de"],
  ["fr", "amazon.fr"],
  ["it", "amazon.it"],
  ["es", "amazon.es"],
  ["nl", "amazon.nl"],
  ["se", "amazon.se"],
  ["pl", "amazon.pl"],
  ["be", "amazon.com.be"],
  ["tr", "amazon.com.tr"],
  ["ae", "amazon.ae"],
  ["sa", "amazon.sa"],
  ["eg", "amazon.eg"],
  ["in", "amazon.in"],
  ["jp", "amazon.co.jp"],
  ["au", "amazon.com.au"],
  ["sg", "amazon.sg"],
  ["ie", "amazon.ie"],
  ["za", "amazon.co.za"],
  ["cn", "amazon.cn"],
];
const DOMAIN = new Map(STORES);

function canonical(store: string, asin: string, query = ""): string {
  return `https://www.${DOMAIN.get(store)}/dp/${asin}?tag=${TAG}${query}`;
}

const A = "B08N5WRWNW";

function product(href: string, store: string, asin: string, extra: { tag?: string; asinValid?: boolean; out?: string } = {}): Case {
  const asinValid = extra.asinValid ?? true;
  return {
    href,
    kind: "product",
    marketplace: store,
    asin,
    asinValid,
    ...(extra.tag === undefined ? {} : { tag: extra.tag }),
    out: extra.out ?? canonical(store, asin),
  };
}

function page(href: string, store: string, kind: AmazonUrlKind, out: string, tag?: string): Case {
  return { href, kind, marketplace: store, ...(tag === undefined ? {} : { tag }), out };
}

function short(href: string): Case {
  return { href, kind: "short", marketplace: "short", out: href };
}

function never(href: string): Case {
  return { href, kind: null };
}

const us = "https://www.amazon.com";

// ---------------------------------------------------------------------------
// Product shapes (mostly on the US store; every store gets its own matrix below).
const shapes: Case[] = [
  product(`${us}/dp/${A}`, "us", A),
  product(`${us}/dp/${A}/`, "us", A),
  product(`${us}/dp/${A}?tag=someone-20`, "us", A, { tag: "someone-20" }),
  product(`${us}/dp/${A}/ref=sr_1_3?crid=2XKQ&keywords=echo+dot&qid=1700000000&sprefix=echo%2Caps%2C150&sr=8-3`, "us", A),
  product(`${us}/dp/${A}#customerReviews`, "us", A),
  product(`${us}/dp/${A}/mysite-20`, "us", A, { tag: "mysite-20" }),
  product(`${us}/dp/product/${A}`, "us", A),
  product(`${us}/dp/product/${A}/ref=pd_sim_1?pd_rd_w=abc&pd_rd_r=def`, "us", A),
  product(`${us}/gp/product/${A}`, "us", A),
  product(`${us}/gp/product/${A}/ref=ppx_yo_dt_b_asin_title_o00_s00?ie=UTF8&psc=1`, "us", A),
  product(`${us}/gp/product/${A}/mysite-20`, "us", A, { tag: "mysite-20" }),
  product(`${us}/gp/product/images/${A}`, "us", A),
  product(`${us}/gp/product/images/${A}/ref=dp_image_0?ie=UTF8&n=283155&s=books`, "us", A),
  product(`${us}/gp/aw/d/${A}`, "us", A),
  product(`https://m.amazon.com/gp/aw/d/${A}/ref=mp_s_a_1_1?keywords=echo&qid=1&sr=8-1`, "us", A),
  product(`${us}/gp/offer-listing/${A}`, "us", A),
  product(`${us}/gp/offer-listing/${A}/ref=dp_olp_NEW_mbc?ie=UTF8&condition=new`, "us", A),
  product(`${us}/product-reviews/${A}`, "us", A),
  product(`${us}/Echo-Dot-4th-Gen/product-reviews/${A}/ref=cm_cr_dp_d_show_all_btm?ie=UTF8&reviewerType=all_reviews`, "us", A),
  // /exec/obidos: the 1990s and 2000s links still on old blogs.
  product(`${us}/exec/obidos/ASIN/0596517742`, "us", "0596517742"),
  product(`${us}/exec/obidos/ASIN/0596517742/`, "us", "0596517742"),
  product(`${us}/exec/obidos/ASIN/0596517742/mysite-20`, "us", "0596517742", { tag: "mysite-20" }),
  product(`http://www.amazon.com/exec/obidos/ASIN/${A}/someone-20/ref=nosim`, "us", A, { tag: "someone-20" }),
  product(`http://www.amazon.com/exec/obidos/ASIN/0596517742/ref=nosim/mysite-20`, "us", "0596517742", {
    tag: "mysite-20",
  }),
  product(`${us}/exec/obidos/asin/0596517742`, "us", "0596517742"),
  product(`${us}/exec/obidos/ASIN/0596517742/qid=1/sr=1-1/ref=sr_1_1/102-1234567-1234567`, "us", "0596517742"),
  product(`${us}/exec/obidos/ASIN/0596517742/legacy-20?tag=query-20`, "us", "0596517742", { tag: "query-20" }),
  product(`http://www.amazon.co.uk/exec/obidos/ASIN/013518939X/mysite-21`, "uk", "013518939X", { tag: "mysite-21" }),
  product(`${us}/exec/obidos/tg/detail/-/0596517742`, "us", "0596517742"),
  product(`${us}/exec/obidos/tg/detail/-/0596517742/qid=1/sr=8-1/ref=pd_bbs_1/102-1234567?v=glance&s=books`, "us", "0596517742"),
  product(`${us}/o/ASIN/0596517742`, "us", "0596517742"),
  product(`${us}/o/ASIN/0596517742/mysite-20`, "us", "0596517742", { tag: "mysite-20" }),
  product(`${us}/o/asin/${A}/ref=nosim`, "us", A),
  // Slugs, including slugs made of 10-letter words (which look like ASINs).
  product(`${us}/Apple-MacBook-Air-13-inch/dp/${A}/ref=sr_1_1?keywords=macbook&qid=1&sr=8-1`, "us", A),
  product(`${us}/Headphones/dp/${A}`, "us", A),
  product(`${us}/Microphone/dp/product/${A}`, "us", A),
  product(`${us}/Technology/Headphones/dp/${A}/ref=x`, "us", A),
  product(`${us}/Headphones/product-reviews/${A}`, "us", A),
  product(`${us}/Instrument-Keyboards-Microphone/dp/${A}?th=1`, "us", A),
  product(`https://www.amazon.de/-/en/dp/${A}`, "de", A),
  product(`https://www.amazon.de/-/en/Kopfhoerer-Bluetooth/dp/${A}/ref=sr_1_1`, "de", A),
  // Lower-case ASINs.
  product(`${us}/dp/b08n5wrwnw`, "us", A),
  product(`${us}/gp/product/b08n5wrwnw/ref=x`, "us", A),
  product(`${us}/Headphones/dp/b08n5wrwnw`, "us", A),
  // ISBN-10 ASINs, valid and with a bad check digit.
  product(`${us}/dp/0596517742`, "us", "0596517742"),
  product(`${us}/dp/013518939X`, "us", "013518939X"),
  product(`${us}/dp/013518939x`, "us", "013518939X"),
  product(`${us}/dp/0306406152`, "us", "0306406152"),
  product(`${us}/dp/0596517743`, "us", "0596517743", { asinValid: false, out: `${us}/dp/0596517743?tag=${TAG}` }),
  product(`${us}/dp/1234567890/ref=x?th=1`, "us", "1234567890", {
    asinValid: false,
    out: `${us}/dp/1234567890?tag=${TAG}`,
  }),
  product(`${us}/dp/0135189390`, "us", "0135189390", { asinValid: false, out: `${us}/dp/0135189390?tag=${TAG}` }),
  // Malformed ASINs: still product links, flagged invalid, path kept so the author sees what they wrote.
  product(`${us}/dp/B08N5WRWN`, "us", "B08N5WRWN", { asinValid: false, out: `${us}/dp/B08N5WRWN?tag=${TAG}` }),
  product(`${us}/dp/B08N5WRWNWX`, "us", "B08N5WRWNWX", { asinValid: false, out: `${us}/dp/B08N5WRWNWX?tag=${TAG}` }),
  product(`${us}/dp/A08N5WRWNW`, "us", "A08N5WRWNW", { asinValid: false, out: `${us}/dp/A08N5WRWNW?tag=${TAG}` }),
  product(`${us}/dp/9780596517748`, "us", "9780596517748", {
    asinValid: false,
    out: `${us}/dp/9780596517748?tag=${TAG}`,
  }),
  product(`${us}/dp/B08N5WRWN?tag=someone-20&language=en_US`, "us", "B08N5WRWN", {
    asinValid: false,
    tag: "someone-20",
    out: `${us}/dp/B08N5WRWN?tag=${TAG}&language=en_US`,
  }),
  // Schemes, hosts, entities.
  product(`http://www.amazon.com/dp/${A}`, "us", A),
  product(`//www.amazon.com/dp/${A}`, "us", A),
  product(`//amazon.co.uk/dp/${A}`, "uk", A),
  product(`https://WWW.AMAZON.COM/dp/${A}`, "us", A),
  product(`HTTPS://Amazon.Co.UK/DP/${A}`, "uk", A),
  product(`https://www.amazon.com./dp/${A}`, "us", A),
  product(`https://amazon.co.jp./dp/${A}`, "jp", A),
  product(`https://AMAZON.DE./gp/product/${A}`, "de", A),
  product(`${us}/dp/${A}?ref_=ast_sto_dp&amp;tag=someone-20`, "us", A, { tag: "someone-20" }),
  product(`${us}/dp/${A}?ref_=x&#38;tag=someone-20`, "us", A, { tag: "someone-20" }),
  product(`${us}/dp/${A}?ref_=x&#x26;tag=someone-20&amp;th=1`, "us", A, { tag: "someone-20" }),
  product(`${us}/dp/${A}?language=en_US&amp;psc=1`, "us", A, { out: canonical("us", A, "&language=en_US") }),
  product(`  ${us}/dp/${A}\n`, "us", A),
  product(`${us}:443/dp/${A}`, "us", A),
  product(`http://amazon.com:80/dp/${A}`, "us", A),
  product(`https://someone@www.amazon.com/dp/${A}`, "us", A),
  // Browsers map these to the real amazon.com; so does the URL model.
  product(`https://ａｍａｚｏｎ.com/dp/${A}`, "us", A),
  product(`https://www.amazon\u3002co\u3002jp/dp/${A}`, "jp", A),
  product(`https://amazon%2ecom/dp/${A}`, "us", A),
  product(`https:\\\\www.amazon.com\\dp\\${A}`, "us", A),
  product(`\\\\www.amazon.com/dp/${A}`, "us", A),
  product(`/\\www.amazon.com/dp/${A}`, "us", A),
  product(`ht\ttps://www.amazon.com/dp/${A}`, "us", A),
  product(`\u0000https://www.amazon.com/dp/${A}`, "us", A),
  // "amazon" not spelled out in the href, but in the host URL parsing makes (the parser's cheap pre-filter must let these through).
  product(`https://www.%61mazon.com/dp/${A}`, "us", A),
  product(`https://www.am\tazon.de/dp/${A}`, "de", A),
  product(`https://www.AM%41ZON.co.uk/dp/${A}`, "uk", A),
  // Keep-list and noise.
  product(`https://www.amazon.de/dp/${A}?language=de_DE&tag=other-21`, "de", A, {
    tag: "other-21",
    out: canonical("de", A, "&language=de_DE"),
  }),
  product(`${us}/dp/${A}?currency=EUR&th=1&psc=1`, "us", A, { out: canonical("us", A, "&currency=EUR") }),
  product(
    `${us}/dp/${A}?pf_rd_r=X&pf_rd_p=Y&pd_rd_w=Z&pd_rd_r=W&pd_rd_wg=V&linkCode=ll1&linkId=abc123&_encoding=UTF8` +
      `&psc=1&th=1&smid=A1B2&ref_=x&creativeASIN=${A}&ascsubtag=foo&content-id=amzn1.sym.1&social_share=1` +
      `&dchild=1&camp=1789&creative=9325&spLa=abc&utm_source=x&gclid=g&hvadid=1&qid=1&sr=8-1&crid=C&sprefix=e`,
    "us",
    A,
  ),
  product(`${us}/dp/${A}?tag=first-20&tag=second-20`, "us", A, { tag: "first-20" }),
  product(`${us}/dp/${A}?foo=bar&keywords=echo`, "us", A),
  // Legacy amzn.com/<ASIN>: Amazon's own retired shortener, the US store.
  product(`https://amzn.com/${A}`, "us", A),
  product(`http://www.amzn.com/0596517742`, "us", "0596517742"),
  product(`https://amzn.com/b08n5wrwnw?tag=someone-20`, "us", A, { tag: "someone-20" }),
  product(`https://amzn.com/dp/${A}`, "us", A),
  product(`https://amzn.com/B08N5WRWN`, "us", "B08N5WRWN", { asinValid: false, out: `${us}/dp/B08N5WRWN?tag=${TAG}` }),
  product(`https://amzn.com/0596517743/ref=x`, "us", "0596517743", { asinValid: false, out: `${us}/dp/0596517743?tag=${TAG}` }),
  page("https://amzn.com/", "us", "other", `${us}/?tag=${TAG}`),
  page("https://amzn.com/product", "us", "other", `${us}/product?tag=${TAG}`),
];

// ---------------------------------------------------------------------------
// Shapes found in public files. Where the source names no repository, the row names the file's id in the
// code index searched with `find_string` (the search tools of this project's sessions).
const found: Case[] = [
  // `/-/<lang>/` display-language prefixes before any path.
  // index id 21688752402 (a parts table in HTML)
  product(`https://www.amazon.de/-/en/gp/product/B0836CDZXG/ref=ppx_yo_dt_b_asin_title_o08_s00?ie=UTF8&amp;psc=1`, "de", "B0836CDZXG"),
  // index id 10960292413 (a README)
  product(`https://www.amazon.co.jp/-/en/gp/product/B0767CMNDQ/`, "jp", "B0767CMNDQ"),
  // index id 9904972995 (a README)
  product(`https://www.amazon.ca/-/fr/gp/product/B07VT5T9JC/ref=ewc_pr_img_1?smid=A2FI4MJY3VQVX5&psc=1`, "ca", "B07VT5T9JC"),
  // wired88/amz_backend api/amz_products.py
  product(
    `https://www.amazon.de/-/en/MQ1F3ZD-A/dp/B0BDJKD7F3?&linkCode=ll1&tag=salesdetectiv-21&linkId=2ec6c0df922c53426b7dda21c5558312&language=de_DE&ref_=as_li_ss_tl`,
    "de",
    "B0BDJKD7F3",
    { tag: "salesdetectiv-21", out: canonical("de", "B0BDJKD7F3", "&language=de_DE") },
  ),
  // index id 63196366150 (a slug that itself contains "dp")
  product(
    `https://www.amazon.com/-/es/Charlie-Miller-ebook-dp-B004U7MUMU/dp/B004U7MUMU/ref=mt_other?_encoding=UTF8&me=&qid=`,
    "us",
    "B004U7MUMU",
  ),
  // index id 43469403030 (search), 3710345140 (browse node)
  page(`https://www.amazon.ca/-/fr/s?k=012345678905`, "ca", "search", `https://www.amazon.ca/-/fr/s?tag=${TAG}&k=012345678905`),
  page(
    `https://www.amazon.com/-/es/b/?_encoding=UTF8&node=16225011011&pf_rd_r=1KWKG150XBHB05AZQJ7R`,
    "us",
    "store",
    `https://www.amazon.com/-/es/b/?tag=${TAG}&node=16225011011`,
  ),
  // `/d/<Slug>/<ASIN>` on amazon.com.au: index ids 40735884655, 48104908436
  product(
    `https://www.amazon.com.au/d/Newtown-Voices-Sue-Cartledge-ebook/B071CDYR3T/ref=sr_1_1?ie=UTF8&qid=1495166045&sr=8-1&keywords=Newtown+Voices`,
    "au",
    "B071CDYR3T",
  ),
  product(
    `https://www.amazon.com.au/d/Building-Wireless-Community-Experience-Distilled-ebook/B012O8S296/ref=sr_1_1?ie=UTF8`,
    "au",
    "B012O8S296",
  ),
  product(`https://www.amazon.com.au/d/B071CDYR3T`, "au", "B071CDYR3T"),
  // Without an ASIN it is not a product page (no invalid-asin finding).
  page(`https://www.amazon.com.au/d/Newtown-Voices`, "au", "other", `https://www.amazon.com.au/d/Newtown-Voices?tag=${TAG}`),
  // Words between `dp` and the ASIN: index ids 31371132848, 56791435577 (`tech-data`), 46056979627 (`product-description`)
  product(`http://www.amazon.com/Magicolor-2550-Dn-Color-Laser/dp/tech-data/B000I7VK22/ref=de_a_smtd`, "us", "B000I7VK22"),
  product(`http://www.amazon.com/SIIG-SoundWave-7-1-PCI-IC-710012/dp/tech-data/B0006HDF6S/ref=de_a_smtd`, "us", "B0006HDF6S"),
  product(`http://www.amazon.com/dp/product-description/B003D7KV0Q/ref=dp_proddesc_0?ie=UTF8&n=672123011&s=shoes`, "us", "B003D7KV0Q"),
  // Product Advertising API 4 links put the query into the path, percent-encoded, tag and all: index ids 43776942870, 6322063438
  product(
    `http://www.amazon.com/The-Mammoth-Book-Tattoos-Hardy/dp/tech-data/076243631X%3FSubscriptionId%3DAKIAJC2Z4J3HP2R6C2EA%26tag%3Dkardolus-20%26linkCode%3Dxm2%26camp%3D2025%26creative%3D386001%26creativeASIN%3D076243631X`,
    "us",
    "076243631X",
    { tag: "kardolus-20" },
  ),
  product(
    `http://www.amazon.com/Green-Ep-Album-Leaf/dp/B000W7Y1AQ%3FSubscriptionId%3D0YCVF2T639NH9YPW5ZR2%26tag%3Dstreeme-20%26linkCode%3Dxm2`,
    "us",
    "B000W7Y1AQ",
    { tag: "streeme-20" },
  ),
  // A hyphenated word with no ASIN after it is a page of its own: the add-to-cart form (index id 56570852907).
  page(
    `https://www.amazon.com/gp/product/handle-buy-box/ref=dp_start-bbf_1_glance?ie=UTF8&asin=B08N5WRWNW&quantity=1`,
    "us",
    "other",
    `https://www.amazon.com/gp/product/handle-buy-box?tag=${TAG}&asin=B08N5WRWNW&quantity=1`,
  ),
  page(`${us}/dp/tech-data`, "us", "other", `${us}/dp/tech-data?tag=${TAG}`),
  // `/exec/obidos/ISBN=<isbn>[/tag]`: wikimedia/mediawiki languages/messages/MessagesNo.php (the book-sources list),
  // index id 43427425559 (with an Associates tag), 2527750411
  product(`http://www.amazon.com/exec/obidos/ISBN=0201633612/apachesoftwar-20/`, "us", "0201633612", { tag: "apachesoftwar-20" }),
  product(`http://www.amazon.com/exec/obidos/ISBN=0521356997`, "us", "0521356997"),
  // The shapes listed (after unoh.github.io, 2008) in index id 4560607802, a design note for a URL-cleaning extension.
  product(`https://www.amazon.co.jp/exec/obidos/ISBN%3D020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/o/ISBN=020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/o/tg/detail/-/020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/o/tg/detail/-/Elements-Style/020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/exec/obidos/tg/detail/-/Elements-Style/020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/gp/product/product-description/020530902X`, "jp", "020530902X"),
  product(`https://www.amazon.co.jp/Elements-Style/dp/product-description/020530902X`, "jp", "020530902X"),
  // A long href is still a link (there used to be a silent 8,192-character limit).
  product(`${us}/dp/${A}?x=${"a".repeat(9000)}`, "us", A),
  product(`${us}/Some-Title/dp/${A}/ref=x?keywords=${"k".repeat(100_000)}&tag=someone-20`, "us", A, { tag: "someone-20" }),
];

// ---------------------------------------------------------------------------
// Short links: only known after a redirect; left as they are.
const shorts: Case[] = [
  short("https://amzn.to/3abcDEF"),
  short("http://amzn.to/3abcDEF"),
  short("https://AMZN.TO/3abcDEF"),
  short("//amzn.to/3abcDEF"),
  short("https://amzn.to/3abcDEF?tag=someone-20"),
  short("https://amzn.eu/d/abc1234"),
  short("https://amzn.asia/d/abc1234"),
  short("https://a.co/d/abc1234"),
  short("https://a.co/d/abc1234?ref=x"),
  short("https://amzn.to./3abcDEF"),
];

// ---------------------------------------------------------------------------
// Other Amazon pages: path and meaningful query pairs kept as written, tag set first, noise dropped.
const pages: Case[] = [
  page(`${us}/s?k=usb+c+cable&ref=nb_sb_noss`, "us", "search", `${us}/s?tag=${TAG}&k=usb+c+cable`),
  page(
    `${us}/s/ref=nb_sb_noss?url=search-alias%3Daps&field-keywords=echo`,
    "us",
    "search",
    `${us}/s?tag=${TAG}&url=search-alias%3Daps&field-keywords=echo`,
  ),
  page(
    `${us}/s?k=echo&i=stripbooks&crid=ABC&sprefix=ec%2Caps&qid=1&tag=old-20`,
    "us",
    "search",
    `${us}/s?tag=${TAG}&k=echo&i=stripbooks`,
    "old-20",
  ),
  page(`${us}/s?k=echo&tag=old-20&TAG=x`, "us", "search", `${us}/s?tag=${TAG}&k=echo`, "old-20"),
  page(`${us}/s?k=echo&amp;i=stripbooks`, "us", "search", `${us}/s?tag=${TAG}&k=echo&i=stripbooks`),
  page(`${us}/gp/search?keywords=echo&index=books`, "us", "search", `${us}/gp/search?tag=${TAG}&keywords=echo&index=books`),
  page(`${us}/?k=echo`, "us", "search", `${us}/?tag=${TAG}&k=echo`),
  page(`https://www.amazon.co.jp/s?k=%E6%9C%AC`, "jp", "search", `https://www.amazon.co.jp/s?tag=${TAG}&k=%E6%9C%AC`),
  page(
    `${us}/stores/Apple/page/77D9E1F7-0337-4282-9DB6-B6B8FB2DC98D?ref_=ast_bln`,
    "us",
    "store",
    `${us}/stores/Apple/page/77D9E1F7-0337-4282-9DB6-B6B8FB2DC98D?tag=${TAG}`,
  ),
  page(`${us}/stores/node/2528919011`, "us", "store", `${us}/stores/node/2528919011?tag=${TAG}`),
  page(`${us}/stores/page/ABC?tag=someone-20`, "us", "store", `${us}/stores/page/ABC?tag=${TAG}`, "someone-20"),
  page(`${us}/shop/someinfluencer?ref=exp_inf_pub`, "us", "store", `${us}/shop/someinfluencer?tag=${TAG}`),
  page(`${us}/shop/someinfluencer/list/ABC123XYZ0`, "us", "store", `${us}/shop/someinfluencer/list/ABC123XYZ0?tag=${TAG}`),
  page(`${us}/b?node=172541&ref_=nav_em`, "us", "store", `${us}/b?tag=${TAG}&node=172541`),
  page(`${us}/b/ref=s9_acss?node=172541&pf_rd_m=ATV`, "us", "store", `${us}/b?tag=${TAG}&node=172541`),
  page(`${us}/Headphones-Audio/b?ie=UTF8&node=172541`, "us", "store", `${us}/Headphones-Audio/b?tag=${TAG}&node=172541`),
  page(`${us}/Headphones/b/ref=dp_bc_1?node=172541`, "us", "store", `${us}/Headphones/b?tag=${TAG}&node=172541`),
  page(`${us}/gp/browse.html?node=172541`, "us", "store", `${us}/gp/browse.html?tag=${TAG}&node=172541`),
  page(`${us}/hz/wishlist/ls/2ABCDEFGHIJKL?ref_=wl_share`, "us", "other", `${us}/hz/wishlist/ls/2ABCDEFGHIJKL?tag=${TAG}`),
  // A 10-character list id is not an ASIN.
  page(
    `https://www.amazon.co.uk/hz/wishlist/ls/ABCDEFGHIJ`,
    "uk",
    "other",
    `https://www.amazon.co.uk/hz/wishlist/ls/ABCDEFGHIJ?tag=${TAG}`,
  ),
  page(`${us}/gp/registry/wishlist/3ABCDEF/ref=cm_wl_list_o_1`, "us", "other", `${us}/gp/registry/wishlist/3ABCDEF?tag=${TAG}`),
  page(`${us}/registry/wishlist/3ABCDEF`, "us", "other", `${us}/registry/wishlist/3ABCDEF?tag=${TAG}`),
  page(`${us}/`, "us", "other", `${us}/?tag=${TAG}`),
  page("https://amazon.com", "us", "other", `${us}/?tag=${TAG}`),
  page(`${us}/ref=nav_logo`, "us", "other", `${us}/?tag=${TAG}`),
  page(`${us}/gp/help/customer/display.html?nodeId=508088`, "us", "other", `${us}/gp/help/customer/display.html?tag=${TAG}&nodeId=508088`),
  page(`${us}/gp/bestsellers/books/ref=zg_bs_nav_0`, "us", "other", `${us}/gp/bestsellers/books?tag=${TAG}`),
  page(`${us}/Best-Sellers/zgbs`, "us", "other", `${us}/Best-Sellers/zgbs?tag=${TAG}`),
  page(`${us}/deals?ref_=nav_cs_gb#anchor`, "us", "other", `${us}/deals?tag=${TAG}#anchor`),
  page(`${us}/gp/video/detail/${A}`, "us", "other", `${us}/gp/video/detail/${A}?tag=${TAG}`),
  page(`${us}/gp/cart/view.html`, "us", "other", `${us}/gp/cart/view.html?tag=${TAG}`),
  page(`${us}/dp/`, "us", "other", `${us}/dp/?tag=${TAG}`),
  page(`${us}/dp/ref=x`, "us", "other", `${us}/dp?tag=${TAG}`),
  page(`${us}/gp/product/`, "us", "other", `${us}/gp/product/?tag=${TAG}`),
  page(`https://smile.amazon.de/`, "de", "other", `https://www.amazon.de/?tag=${TAG}`),
  // Double-encoded entities: decoded once, and written so that a second pass reads the same thing.
  page(`${us}/stores/A&amp;amp;B`, "us", "store", `${us}/stores/A%26amp;B?tag=${TAG}`),
  page(`${us}/s?k=x&amp;amp;y=1`, "us", "search", `${us}/s?tag=${TAG}&k=x&%61mp;y=1`),
  page(`${us}/deals#a&amp;amp;b`, "us", "other", `${us}/deals?tag=${TAG}#a%26amp;b`),
];

// ---------------------------------------------------------------------------
// Every store, every host alias, the common shapes.
const storeMatrix: Case[] = STORES.flatMap(([code, domain]) => [
  product(`https://www.${domain}/dp/${A}`, code, A),
  product(`https://${domain}/gp/product/${A}?tag=someone-21`, code, A, { tag: "someone-21" }),
  product(`https://m.${domain}/gp/aw/d/${A}/ref=mp_s_a_1_1?qid=1&sr=8-1`, code, A),
  product(`https://smile.${domain}/Some-Product-Title/dp/${A}/ref=sr_1_1?crid=X&keywords=y`, code, A),
  page(`https://www.${domain}/s?k=usb+c+cable&ref=nb_sb_noss`, code, "search", `https://www.${domain}/s?tag=${TAG}&k=usb+c+cable`),
  page(`http://${domain.toUpperCase()}./b?node=123&ref_=nav`, code, "store", `https://www.${domain}/b?tag=${TAG}&node=123`),
]);

// ---------------------------------------------------------------------------
// Never Amazon: a lookalike parsed as Amazon would get our tag and our visitors.
const nevers: Case[] = [
  // Lookalike and sibling hosts.
  never(`https://amazon.com.evil.example/dp/${A}`),
  never(`https://www.amazon.com.evil.example/dp/${A}`),
  never(`https://amazon.co.uk.evil.example/dp/${A}`),
  never(`https://amazon.com.au.evil.example/dp/${A}`),
  never(`https://evilamazon.com/dp/${A}`),
  never(`https://amazon-deals.com/dp/${A}`),
  never(`https://amazon.de-shop.example/dp/${A}`),
  never(`https://amazon.co/dp/${A}`),
  never(`https://www.amazon.co/dp/${A}`),
  never(`https://amazon.uk/dp/${A}`),
  never(`https://amazonaws.com/dp/${A}`),
  never(`https://s3.amazonaws.com/bucket/dp/${A}`),
  never(`https://aws.amazon.com/`),
  never(`https://sellercentral.amazon.com/home`),
  never(`https://sellercentral-europe.amazon.com/`),
  never(`https://affiliate-program.amazon.com/home`),
  never(`https://affiliate-program.amazon.co.uk/`),
  never(`https://developer.amazon.com/`),
  never(`https://music.amazon.com/albums/${A}`),
  never(`https://read.amazon.com/`),
  never(`https://kdp.amazon.com/`),
  never(`https://advertising.amazon.com/`),
  never(`https://pay.amazon.com/`),
  never(`https://www.smile.amazon.com/dp/${A}`),
  never(`https://smile.amazon.com.evil.example/dp/${A}`),
  never(`https://amazon.jobs/`),
  never(`https://www.amazon.jobs/en/`),
  never(`https://m.media-amazon.com/images/I/x.jpg`),
  never(`https://images-na.ssl-images-amazon.com/images/I/x.jpg`),
  never(`https://www.primevideo.com/detail/${A}`),
  never(`https://www.audible.com/pd/${A}`),
  never(`https://www.amazon.com../dp/${A}`),
  never(`https://54.239.28.85/dp/${A}`),
  never(`https://[::1]/dp/${A}`),
  never(`https://amzn.to.evil.example/3abc`),
  never(`https://evilamzn.to/3abc`),
  never(`https://amzn.top/3abc`),
  never(`https://a.co.evil.example/d/abc`),
  never(`https://b.co/d/abc`),
  never(`https://amzn.com.evil.example/${A}`),
  // Userinfo, query, fragment and path tricks.
  never(`https://amazon.com@evil.example/`),
  never(`https://www.amazon.com:pass@evil.example/dp/${A}`),
  never(`https://www.amazon.com%40evil.example/dp/${A}`),
  never(`https://evil.example/?u=https://amazon.com/dp/B000000000`),
  never(`https://evil.example/amazon.com/dp/${A}`),
  never(`https://evil.example/redirect?to=https%3A%2F%2Fwww.amazon.com%2Fdp%2F${A}`),
  never(`https://evil.example#https://amazon.com/dp/${A}`),
  never(`https://evil.example#@www.amazon.com/dp/${A}`),
  never(`https://evil.example?@amazon.com/`),
  never(`https://evil.example\\@amazon.com/dp/${A}`),
  never(`https://amazon.com%2eevil.example/dp/${A}`),
  never(`https://ａｍａｚｏｎ.com.evil.example/dp/${A}`),
  // Other schemes.
  never(`javascript:alert(1)//https://amazon.com/dp/${A}`),
  never(`JavaScript:location='https://www.amazon.com/dp/${A}'`),
  never(`mailto:someone@amazon.com`),
  never(`data:text/html,<a href=https://amazon.com/dp/${A}>x</a>`),
  never(`ftp://amazon.com/dp/${A}`),
  never(`ws://amazon.com/dp/${A}`),
  never(`file:///amazon.com/dp/${A}`),
  never(`tel:+18882804331`),
  never(`about:blank`),
  // Relative hrefs (a browser resolves them against the page, not Amazon).
  never(`/dp/${A}`),
  never(`dp/${A}`),
  never(`amazon.com/dp/${A}`),
  never(`www.amazon.com/dp/${A}`),
  never(`./amazon.com/dp/${A}`),
  never(`?tag=someone-20`),
  never(`#dp`),
  never(``),
  never(`   `),
  never(`https:amazon.com/dp/${A}`),
  never(`http:www.amazon.com/dp/${A}`),
  never(`https:/www.amazon.com/dp/${A}`),
  // IDN lookalikes (Cyrillic а and о, Greek ο) and their punycode.
  never(`https://\u0430mazon.com/dp/${A}`),
  never(`https://www.\u0430mazon.com/dp/${A}`),
  never(`https://amaz\u043En.com/dp/${A}`),
  never(`https://www.amazon.c\u03BFm/dp/${A}`),
  never(`https://amazon.co.\u0443k/dp/${A}`),
  never(`https://xn--mazon-3ve.com/dp/${A}`),
  never(`https://xn--amazn-mye.com/dp/${A}`),
  never(`https://amazon.com\u0338/dp/${A}`),
  never(`https://amazon.com\u2024evil.example/dp/${A}`),
  // Ports: a retail link never names one.
  never(`https://www.amazon.com:8443/dp/${A}`),
  never(`http://amazon.com:8080/dp/${A}`),
  never(`https://amazon.com:80/dp/${A}`),
  never(`http://amazon.com:443/dp/${A}`),
];

const all = [...shapes, ...found, ...shorts, ...pages, ...storeMatrix, ...nevers];

describe("URL table", () => {
  it("has the cases the issue asks for", () => {
    expect(all.length).toBeGreaterThanOrEqual(250);
    const covered = new Set(all.filter((c) => c.kind !== null).map((c) => c.marketplace));
    for (const [code] of STORES) expect(covered).toContain(code);
  });

  describe.each([
    ["product shapes", shapes],
    ["shapes found in public files", found],
    ["short links", shorts],
    ["other pages", pages],
    ["every store", storeMatrix],
    ["never Amazon", nevers],
  ] as const)("%s", (_name, cases) => {
    it.each(cases.map((c) => [JSON.stringify(c.href).slice(0, 160), c] as const))("%s", (_label, c) => {
      const parsed = parseAmazonUrl(c.href);
      if (c.kind === null) {
        expect(parsed).toBeNull();
        expect(formatAmazonUrl(c.href, { tag: TAG })).toBe(c.href);
        return;
      }
      expect(parsed).not.toBeNull();
      if (!parsed) return;
      expect({
        kind: parsed.kind,
        marketplace: parsed.marketplace,
        asin: parsed.asin,
        asinValid: parsed.asinValid,
        tag: parsed.tag,
      }).toEqual({
        kind: c.kind,
        marketplace: c.marketplace,
        asin: c.asin,
        asinValid: c.asinValid,
        tag: c.tag,
      });
      expect(parsed.original).toBe(c.href);
      expect(parsed.url).toBeInstanceOf(URL);
      expect(parsed.url.protocol).toBe("https:");

      const out = formatAmazonUrl(parsed, { tag: TAG });
      expect(out).toBe(c.out);
      // The string form gives the same answer, and the output is a fixed point.
      expect(formatAmazonUrl(c.href, { tag: TAG })).toBe(out);
      expect(formatAmazonUrl(out, { tag: TAG })).toBe(out);
      if (c.kind !== "short") {
        const again = parseAmazonUrl(out);
        expect(again?.marketplace).toBe(c.marketplace);
        expect(again?.kind).toBe(c.kind);
        expect(again?.asin).toBe(c.asin);
        expect(again?.tag).toBe(TAG);
        expect(new URL(out).searchParams.getAll("tag")).toEqual([TAG]);
      }
    });
  });
});

describe("long hrefs", () => {
  it("are read whole, however long, and the C0-and-space trim stays linear (a quadratic one would time the test out)", () => {
    const href = `${us}/dp/${A}?k=${"x".repeat(1_000_000)}`;
    const padded = `${" ".repeat(1_000_000)}${href}${" \u0001".repeat(500_000)}`;
    expect(parseAmazonUrl(padded)?.asin).toBe(A);
    // Spaces that are not at the end: the case a `/[\0- ]+$/` pattern retries from every position.
    const spacesInside = `${us}/s?k=${" ".repeat(1_000_000)}x`;
    expect(parseAmazonUrl(spacesInside)?.kind).toBe("search");
  });
});
