/**
 * Amazon hosts spelled the ways a browser still resolves, as they appear in HTML
 * source (inside an href attribute value), and lookalikes spelled the same ways
 * that a browser does NOT resolve to Amazon. Shared by the pre-check's unit test,
 * the Eleventy build test and the Chromium test, which checks every row against
 * the browser: Chromium is the oracle for which spellings count.
 */
export interface SpelledHost {
  /** The href as written in an attribute value (character references not decoded). */
  readonly source: string;
  /** The store the browser goes to, or null for a host that is not Amazon's. */
  readonly store: string | null;
  readonly why: string;
}

const A = "B08N5WRWNW";

export const spelledHosts: readonly SpelledHost[] = [
  { source: `https://www&#46;amazon&#46;com/dp/${A}`, store: "us", why: "decimal character references for the dots" },
  { source: `https://www&#046;amazon&#46com/dp/${A}`, store: "us", why: "leading zero, and a reference without its semicolon" },
  { source: `https://www&period;amazon&period;com/dp/${A}`, store: "us", why: "named character reference &period;" },
  { source: `https://www&#x2E;amazon&#x2e;co&#X2E;uk/dp/${A}`, store: "uk", why: "hexadecimal character references" },
  { source: `https://www%2Eamazon%2Ecom/dp/${A}`, store: "us", why: "percent-encoded dots" },
  { source: `https://www.%61mazon%2ede/dp/${A}`, store: "de", why: "a percent-encoded letter" },
  { source: `https://www.&#97;m&#x61;zon.de/dp/${A}`, store: "de", why: "letters as character references" },
  { source: `https://www.amazon\u3002co\u3002jp/dp/${A}`, store: "jp", why: "U+3002 ideographic full stop" },
  { source: `https://www.amazon&#12290;com/dp/${A}`, store: "us", why: "U+3002 as a character reference" },
  { source: `https://www.amazon%E3%80%82com/dp/${A}`, store: "us", why: "U+3002 percent-encoded" },
  { source: `https://www.amazon\uFF0Ecom/dp/${A}`, store: "us", why: "U+FF0E full-width full stop" },
  { source: `https://www.amazon\uFF61co\uFF61uk/dp/${A}`, store: "uk", why: "U+FF61 half-width ideographic full stop" },
  { source: `https://ｗｗｗ.ａｍａｚｏｎ.ｃｏｍ/dp/${A}`, store: "us", why: "full-width letters" },
  { source: `https://ＡＭＡＺＯＮ.ＤＥ/dp/${A}`, store: "de", why: "full-width capitals" },
  { source: `https://www.%EF%BD%81mazon.com/dp/${A}`, store: "us", why: "a full-width letter, percent-encoded" },
  { source: `https://www.\u{1D51E}mazon.com/dp/${A}`, store: "us", why: "a mathematical letter (outside the BMP)" },
  { source: `https://www.ama&shy;zon.com/dp/${A}`, store: "us", why: "a soft hyphen, which IDNA drops" },
  { source: `https://www.ama\nzon.com/dp/${A}`, store: "us", why: "a newline inside the host, which the URL parser drops" },
  { source: `https://www.amaz&#10;on&#9;.com/dp/${A}`, store: "us", why: "newline and tab as character references" },
  { source: `https:&#47;&#47;www&#46;amazon&#46;com/dp/${A}`, store: "us", why: "slashes as character references too" },
  { source: `https:&sol;/www&period;amazon&period;fr/dp/${A}`, store: "fr", why: "&sol; for one slash" },
  { source: `h&#116;tps:\\\\www&#46;amazon&#46;it\\dp\\${A}`, store: "it", why: "backslashes, and the scheme spelled out" },
  { source: `//www&#46;amazon&#46;ca/dp/${A}`, store: "ca", why: "scheme-relative" },
  { source: `https://someone@www&#46;amazon&#46;es/dp/${A}`, store: "es", why: "userinfo before a spelled host" },
  { source: `https://例え&#64;www&#46;amazon&#46;com/dp/${A}`, store: "us", why: "CJK userinfo, and the @ as a reference" },
  { source: `https://amzn&#46;to/3abcDEF`, store: "short", why: "a short-link host" },
  { source: `https://a&#46;co/d/abc1234`, store: "short", why: "a.co spelled out" },
  // Not Amazon's, however spelled: the pre-check need not find them, parseAmazonUrl must refuse them.
  { source: `https://www&#46;amazon&#46;com&#46;evil&#46;example/dp/${A}`, store: null, why: "a lookalike subdomain" },
  { source: `https://www.amaz&#1086;n.com/dp/${A}`, store: null, why: "Cyrillic o (IDN homoglyph)" },
  { source: `https://www%2Eamazon%2Ecom%2Eevil.example/dp/${A}`, store: null, why: "percent-encoded lookalike" },
  { source: `https://www&#46;amazon&#46;com&#64;evil&#46;example/dp/${A}`, store: null, why: "Amazon as userinfo" },
  { source: `https://evil.example/&#47;&#47;www&#46;amazon&#46;com/dp/${A}`, store: null, why: "Amazon in the path" },
];
