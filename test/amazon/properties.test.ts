/**
 * Property tests for the URL model: it never throws, never claims a host that
 * is not Amazon's, and its output is a fixed point carrying exactly one tag.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmazonUrl } from "../../src/amazon/format.js";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { marketplaces, shortLinkHosts } from "../../src/amazon/stores.js";
import { isValidAsin } from "../../src/amazon/asin.js";

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 1500) };

const storeOfHost = new Map<string, string>();
for (const m of marketplaces) for (const h of m.hosts) storeOfHost.set(h, m.code);
storeOfHost.set("amzn.com", "us");
storeOfHost.set("www.amzn.com", "us");
for (const h of shortLinkHosts) {
  storeOfHost.set(h, "short");
  storeOfHost.set(`www.${h}`, "short");
}
const amazonHosts = [...storeOfHost.keys()];
const storeDomains = marketplaces.map((m) => m.domain);

/** Whether a browser would send this href to one of Amazon's hosts (false when it is not a valid URL at all). */
function goesToAmazon(href: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(href).hostname;
  } catch {
    return false;
  }
  return storeOfHost.has(hostname.toLowerCase().replace(/\.$/, ""));
}

/** The `tag` parameters in a written link, counted on the raw query as a server would split it. */
function tagCount(href: string): number {
  const query = new URL(href).search.slice(1);
  if (query === "") return 0;
  return query.split("&").filter((pair) => {
    const name = pair.split("=", 1)[0] ?? "";
    try {
      return decodeURIComponent(name.replace(/\+/g, " ")) === "tag";
    } catch {
      return name === "tag";
    }
  }).length;
}

// Pieces people (and Amazon) put into links, plus the awkward ones.
const segment = fc.oneof(
  fc.constantFrom(
    "dp",
    "product",
    "gp",
    "aw",
    "d",
    "images",
    "offer-listing",
    "product-reviews",
    "exec",
    "obidos",
    "ASIN",
    "asin",
    "tg",
    "detail",
    "-",
    "o",
    "s",
    "b",
    "stores",
    "shop",
    "hz",
    "wishlist",
    "ls",
    "browse.html",
    "ref=sr_1_1",
    "ref_=nav",
    "mysite-20",
    "Headphones",
    "B08N5WRWNW",
    "b08n5wrwnw",
    "0596517742",
    "013518939X",
    "0596517743",
    "&amp;",
    "amp;",
    "&#38;",
    "&amp;amp;",
    "%26amp;",
    "tag=x-20",
    "%74ag",
  ),
  fc.stringMatching(/^[0-9A-Za-z]{10}$/),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ maxLength: 8 }),
);
const paramName = fc.oneof(
  fc.constantFrom(
    "tag",
    "TAG",
    "Tag",
    "%74ag",
    "ref",
    "ref_",
    "pf_rd_p",
    "pd_rd_w",
    "qid",
    "sr",
    "crid",
    "linkCode",
    "linkId",
    "_encoding",
    "psc",
    "th",
    "smid",
    "language",
    "currency",
    "k",
    "node",
    "i",
    "field-keywords",
    "amp;tag",
    "amp;x",
  ),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
  fc.string({ maxLength: 6 }),
);
const paramValue = fc.oneof(
  fc.constantFrom("", "someone-20", "x+y", "a%20b", "&amp;", "%26", "1"),
  fc.string({ maxLength: 10 }).map(encodeURIComponent),
  fc.string({ maxLength: 6 }),
);
const separator = fc.constantFrom("&", "&", "&amp;", "&#38;", "&#x26;");

const amazonHref = fc
  .record({
    scheme: fc.constantFrom("https://", "http://", "//", "HTTPS://", "https:\\\\"),
    host: fc.constantFrom(...amazonHosts),
    upper: fc.boolean(),
    dot: fc.boolean(),
    segments: fc.array(segment, { maxLength: 7 }),
    params: fc.array(fc.tuple(paramName, fc.option(paramValue, { nil: undefined }), separator), { maxLength: 6 }),
    hash: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  })
  .map(({ scheme, host, upper, dot, segments, params, hash }) => {
    const h = `${upper ? host.toUpperCase() : host}${dot ? "." : ""}`;
    const query = params.map(([n, v, sep], i) => `${i === 0 ? "" : sep}${n}${v === undefined ? "" : `=${v}`}`).join("");
    return {
      host,
      href: `${scheme}${h}/${segments.join("/")}${query ? `?${query}` : ""}${hash === undefined ? "" : `#${hash}`}`,
    };
  });

const tagArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}-2[0-9]$/);

describe("parseAmazonUrl / formatAmazonUrl properties", () => {
  it("never throw on random strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ maxLength: 200 })), (s) => {
        const parsed = parseAmazonUrl(s);
        formatAmazonUrl(s, { tag: "ours-20" });
        if (parsed) formatAmazonUrl(parsed, { tag: "ours-20" });
      }),
      RUNS,
    );
  });

  it("read the query's tag as URLSearchParams does (the parser skips it for queries that cannot spell `tag`)", () => {
    fc.assert(
      fc.property(amazonHref, ({ href }) => {
        const parsed = parseAmazonUrl(href);
        if (!parsed || parsed.kind === "short") return;
        const queryTag = parsed.url.searchParams.get("tag");
        // A query tag wins; without one, only a product path can hold a (legacy) tag.
        if (queryTag) expect(parsed.tag).toBe(queryTag);
        else if (parsed.kind !== "product") expect(parsed.tag).toBeUndefined();
      }),
      RUNS,
    );
    expect(parseAmazonUrl("https://www.amazon.com/dp/B08N5WRWNW?%74ag=x-20")?.tag).toBe("x-20");
    expect(parseAmazonUrl("https://www.amazon.com/s?k=a&t%61g=x-20")?.tag).toBe("x-20");
    expect(parseAmazonUrl("https://www.amazon.com/s?k=tag&TAG=x-20")?.tag).toBeUndefined();
  });

  it("never throw on random strings after an Amazon prefix", () => {
    const prefix = fc.constantFrom(
      "https://www.amazon.com/",
      "https://amazon.co.jp/dp/",
      "//amzn.to/",
      "https://amzn.com/",
      "http://m.amazon.de/s?",
    );
    fc.assert(
      fc.property(prefix, fc.string({ unit: "binary", maxLength: 100 }), (p, s) => {
        const parsed = parseAmazonUrl(p + s);
        if (parsed) {
          const out = formatAmazonUrl(parsed, { tag: "ours-20" });
          if (parsed.kind !== "short") expect(formatAmazonUrl(out, { tag: "ours-20" })).toBe(out);
        }
      }),
      RUNS,
    );
  });

  it("return null for random web URLs on hosts that are not Amazon's", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (u) => {
        fc.pre(!goesToAmazon(u));
        expect(parseAmazonUrl(u)).toBeNull();
        expect(formatAmazonUrl(u, { tag: "ours-20" })).toBe(u);
      }),
      RUNS,
    );
  });

  it("return null for lookalikes built around Amazon's domains", () => {
    const lookalike = fc
      .tuple(fc.constantFrom(...amazonHosts, ...storeDomains), fc.domain(), fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.nat(5))
      .map(([amazon, other, label, shape]) => {
        switch (shape) {
          case 0:
            return `https://${amazon}.${other}/dp/B08N5WRWNW`; // amazon.com.evil.example
          case 1:
            return `https://${label}${amazon}/dp/B08N5WRWNW`; // evilamazon.com
          case 2:
            return `https://${amazon}@${other}/dp/B08N5WRWNW`; // userinfo
          case 3:
            return `https://${other}/${amazon}/dp/B08N5WRWNW`; // path
          case 4:
            return `https://${other}/?u=https://${amazon}/dp/B08N5WRWNW`; // query
          default:
            return `https://${label}.${amazon.replace(/^(www|m|smile)\./, "")}/dp/B08N5WRWNW`; // other subdomain
        }
      });
    fc.assert(
      fc.property(lookalike, (u) => {
        fc.pre(!goesToAmazon(u));
        expect(parseAmazonUrl(u)).toBeNull();
      }),
      RUNS,
    );
  });

  it("parse every link on an Amazon host, and write a fixed point with exactly one tag", () => {
    fc.assert(
      fc.property(amazonHref, tagArb, ({ host, href }, tag) => {
        const parsed = parseAmazonUrl(href);
        expect(parsed).not.toBeNull();
        if (!parsed) return;
        expect(parsed.marketplace).toBe(storeOfHost.get(host));
        const out = formatAmazonUrl(parsed, { tag });
        if (parsed.kind === "short") {
          expect(out).toBe(href);
          return;
        }
        expect(tagCount(out)).toBe(1);
        expect(new URL(out).searchParams.getAll("tag")).toEqual([tag]);
        expect(formatAmazonUrl(out, { tag })).toBe(out);
        const again = parseAmazonUrl(out);
        expect(again).not.toBeNull();
        expect(again?.marketplace).toBe(parsed.marketplace);
        expect(again?.kind).toBe(parsed.kind);
        expect(again?.asinValid).toBe(parsed.asinValid);
        // A malformed ASIN may come back escaped (`&amp;` → `%26amp;`); a well-formed one never changes.
        if (parsed.asinValid) expect(again?.asin).toBe(parsed.asin);
        else expect(again?.asin === undefined).toBe(parsed.asin === undefined);
        expect(again?.tag).toBe(tag);
        // Untagged output carries no tag at all, and is a fixed point too.
        const bare = formatAmazonUrl(parsed, {});
        expect(tagCount(bare)).toBe(0);
        expect(formatAmazonUrl(bare)).toBe(bare);
      }),
      RUNS,
    );
  });

  it("keep random web URLs moved onto an Amazon host idempotent, with one tag", () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constantFrom(...marketplaces.flatMap((m) => m.hosts)),
        (u, host) => {
          const url = new URL(u);
          url.protocol = "https:";
          url.hostname = host;
          url.port = "";
          url.username = "";
          url.password = "";
          const parsed = parseAmazonUrl(url.href);
          expect(parsed).not.toBeNull();
          if (!parsed) return;
          const out = formatAmazonUrl(parsed, { tag: "ours-20" });
          expect(tagCount(out)).toBe(1);
          expect(formatAmazonUrl(out, { tag: "ours-20" })).toBe(out);
        },
      ),
      RUNS,
    );
  });

  describe("a path word never becomes a false invalid-asin when a later segment is a well-formed ASIN", () => {
    /** B + 9 letters/digits, or an ISBN-10 with its check digit computed here. */
    const wellFormedAsin = fc.oneof(
      fc.stringMatching(/^B[0-9A-Z]{9}$/),
      fc.stringMatching(/^[0-9]{9}$/).map((nine) => {
        const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
        const check = (11 - (sum % 11)) % 11;
        return nine + (check === 10 ? "X" : String(check));
      }),
    );
    const productPrefix = fc.constantFrom(
      "dp",
      "dp/product",
      "Some-Title/dp",
      "gp/product",
      "gp/product/images",
      "gp/aw/d",
      "gp/offer-listing",
      "product-reviews",
      "Title/product-reviews",
      "exec/obidos/ASIN",
      "exec/obidos/tg/detail/-",
      "o/ASIN",
      "o/tg/detail/-",
      "d",
      "d/Some-Title",
      "-/en/gp/product",
      "-/de/dp",
      "-/zh_TW/Title/dp",
    );
    // Words people and Amazon put in paths: hyphenated, 10-letter (ASIN-shaped but malformed), short, numeric.
    const pathWord = fc
      .oneof(
        fc.constantFrom("tech-data", "product-description", "handle-buy-box", "HEADPHONES", "product", "images", "dp", "d", "-", "ebook"),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/),
      )
      .filter((w) => !isValidAsin(w.toUpperCase()) && !/^ref[=_]/i.test(w));
    const after = fc.constantFrom("", "/", "/ref=sr_1_1", "/mysite-20", "/ref=nosim/mysite-20", "/Other-Words");
    const query = fc.constantFrom("", "?ie=UTF8&psc=1", "?tag=someone-20", "?th=1&language=en_US");

    it("reads the ASIN after the words, as a well-formed product", () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...storeDomains),
          productPrefix,
          fc.array(pathWord, { minLength: 1, maxLength: 3 }),
          wellFormedAsin,
          fc.boolean(),
          after,
          query,
          (domain, prefix, words, asin, lower, rest, q) => {
            const href = `https://www.${domain}/${prefix}/${words.join("/")}/${lower ? asin.toLowerCase() : asin}${rest}${q}`;
            const parsed = parseAmazonUrl(href);
            expect(parsed?.kind).toBe("product");
            expect(parsed?.asin).toBe(asin);
            expect(parsed?.asinValid).toBe(true);
          },
        ),
        RUNS,
      );
    });

    it("flags a malformed ASIN only when no segment after it is a well-formed one", () => {
      fc.assert(
        fc.property(amazonHref, ({ href }) => {
          const parsed = parseAmazonUrl(href);
          if (parsed?.kind !== "product" || parsed.asinValid || parsed.asin === undefined) return;
          const segments = parsed.url.pathname.split("/").filter((s) => s !== "" && !/^ref=/i.test(s));
          // The same word may come twice (`/%20/B08N5WRWNW/dp/%20`): the one read is the last.
          const at = segments.reduce((last, s, i) => (s.toUpperCase().includes(parsed.asin as string) ? i : last), -1);
          for (const later of segments.slice(at + 1)) expect(isValidAsin(later.toUpperCase())).toBe(false);
        }),
        { ...RUNS, examples: [[{ host: "amazon.com", href: "https://amazon.com/%20/b08n5wrwnw/dp/ ?tag" }]] },
      );
    });
  });
});
