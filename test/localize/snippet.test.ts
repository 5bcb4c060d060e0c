import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonForScript } from "../../src/html/script-json.js";
import { createLocalize, resolveLocalizeOptions, type LocalizeSetup } from "../../src/localize/index.js";
import { injectBeforeBodyEnd } from "../../src/localize/inject.js";
import { countryZones, zoneCity } from "../../src/localize/zones.js";
import { clientCode, scriptBody } from "./client-harness.js";

let code: { code: string; geo: string };
beforeAll(async () => {
  code = await clientCode();
});
const tagMap = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, [v]] as const));
const TWO = tagMap({ us: "mysite-20", de: "mysite0d-21" });
const EIGHT = tagMap({
  us: "mysite-20",
  ca: "mysite0c-20",
  uk: "mysite-21",
  de: "mysite0d-21",
  fr: "mysite0f-21",
  it: "mysite0e-21",
  es: "mysite0a-21",
  jp: "mysite-22",
});
const setup = (option: unknown, tags = TWO, pathPrefix?: string): LocalizeSetup =>
  createLocalize(resolveLocalizeOptions(option, tags)!, { pathPrefix, clientCode: (geo) => (geo ? code.geo : code.code) });

const PAGE =
  '<!doctype html>\n<html><head><title>T</title></head>\n<body>\n<p><a href="https://www.amazon.com/dp/B000000001?tag=mysite-20" data-amazon-asin="B000000001" data-amazon-store="us">x</a></p>\n</body>\n</html>\n';

describe("config escaping", () => {
  it("escapes </script>, <!--, & and U+2028/2029 and stays the same JSON", () => {
    const value = { a: "</script><script>alert(1)</script>", b: "<!-- x -->", c: "a&b", d: "\u2028\u2029", e: "ok" };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual(value);
    // And it is a JavaScript expression with the same value.
    expect(new Function(`return ${json}`)()).toEqual(value);
  });

  it("a hostile geo URL cannot break out of the inline script", () => {
    const s = setup({ geo: "https://geo.example/x?</script><script>alert(1)</script><!--" });
    expect(s.html.match(/<\/script/gi)).toHaveLength(1);
    expect(s.html).not.toContain("<!--");
    expect(s.config.g).toBe("https://geo.example/x?%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E%3C!--");
  });

  it("the client code itself contains nothing that ends or confuses a script element", () => {
    for (const c of [code.code, code.geo]) expect(c).not.toMatch(/<\/script|<!--|<script/i);
  });
});

describe("inline snippet", () => {
  it("carries the config and the CSP hash of exactly its text", () => {
    const s = setup({});
    expect(s.html.startsWith("<script>")).toBe(true);
    const js = scriptBody(s.html);
    expect(js).not.toContain("__AMAZON_LINKS_CONFIG__");
    expect(s.sha256).toBe(`sha256-${createHash("sha256").update(js, "utf8").digest("base64")}`);
    expect(s.files).toEqual([]);
    expect(s.config).toMatchObject({ f: 1, a: 1 });
    const groups = s.config.z.split("|").map((g) => g.split(" "));
    expect(groups.map((g) => g.slice(0, 3))).toEqual([
      ["us", "com", "mysite-20"],
      ["de", "de", "mysite0d-21"],
    ]);
    // Countries follow; then zone-city prefixes (longer than two characters).
    expect(groups[1]).toEqual(expect.arrayContaining(["AT", "CH", "DE", "LI", "LU", "Berl", "Vienn", "Zur"]));
    expect(s.config.g).toBeUndefined();
  });

  it("writes a nonce, escaped", () => {
    expect(setup({ nonce: "abc123+/==" }).html.startsWith('<script nonce="abc123+/==">')).toBe(true);
  });

  it("is deterministic (same options, same bytes, same hash)", () => {
    expect(setup({}).html).toBe(setup({}).html);
    expect(setup({}, EIGHT).sha256).toBe(setup({}, EIGHT).sha256);
  });

  it("uses the geo variant only when geo is set", () => {
    expect(setup({}).html).not.toContain("fetch(");
    const s = setup({ geo: "/cdn-cgi/trace", geoTimeout: 400 });
    expect(s.html).toContain("fetch(");
    expect(s.config).toMatchObject({ g: "/cdn-cgi/trace", t: 400 });
  });
});

describe("file mode", () => {
  it("writes one versioned file and a deferred script tag", () => {
    const s = setup({ script: "file" });
    expect(s.files).toHaveLength(1);
    const [file] = s.files;
    expect(file!.path).toMatch(/^amazon-links\.[0-9a-f]{10}\.js$/);
    expect(s.html).toBe(`<script src="/${file!.path}" defer></script>`);
    expect(s.sha256).toBeUndefined();
    expect(file!.contents).not.toContain("__AMAZON_LINKS_CONFIG__");
    // A different config is a different file name (cache-busting).
    expect(setup({ script: "file", fallback: "keep" }).files[0]!.path).not.toBe(file!.path);
  });

  it("honours Eleventy's pathPrefix and a nonce", () => {
    const s = setup({ script: "file", nonce: "n0nce" }, TWO, "/blog");
    expect(s.html).toBe(`<script src="/blog/${s.files[0]!.path}" defer nonce="n0nce"></script>`);
    expect(setup({ script: "file" }, TWO, "blog/").html).toContain('src="/blog/amazon-links.');
  });
});

describe("injectIntoPage", () => {
  it("inserts once just before the last </body>, every other byte preserved", () => {
    const s = setup({});
    const out = s.injectIntoPage(PAGE);
    const at = PAGE.lastIndexOf("</body>");
    expect(out).toBe(PAGE.slice(0, at) + s.html + PAGE.slice(at));
    expect(s.injectIntoPage(out)).toBe(out);
  });

  it("pages without marked Amazon links get nothing", () => {
    const s = setup({});
    const page = '<html><body><a href="https://www.amazon.com/dp/B000000001">unmarked</a></body></html>';
    expect(s.injectIntoPage(page)).toBe(page);
  });

  it("finds the last real </body> in any case and with odd spacing; without one, the end of the page", () => {
    const html = "<X>";
    expect(injectBeforeBodyEnd("<body>a</BODY>", html)).toBe("<body>a<X></BODY>");
    expect(injectBeforeBodyEnd("<body>a</body >", html)).toBe("<body>a<X></body >");
    expect(injectBeforeBodyEnd('<body><script>"</body>"</script></body>', html)).toBe('<body><script>"</body>"</script><X></body>');
    expect(injectBeforeBodyEnd("<head><title>t</title></head><p>x", html)).toBe("<head><title>t</title></head><p>x<X>");
    expect(injectBeforeBodyEnd("<p>fragment</p>", html)).toBe("<p>fragment</p><X>");
    expect(injectBeforeBodyEnd("<p>a</p></body", html)).toBe("<p>a</p><X></body");
    expect(injectBeforeBodyEnd("<p>a</p><tbody></tbody>", html)).toBe("<p>a</p><tbody></tbody><X>");
    // A later end tag in another case or spelling wins over the last plain "</body>".
    expect(injectBeforeBodyEnd("<body>a</body>b</Body>", html)).toBe("<body>a</body>b<X></Body>");
    expect(injectBeforeBodyEnd("<body>a</body>b</body\n>", html)).toBe("<body>a</body>b<X></body\n>");
    // An unfinished "</body" at the very end counts only when there is no other.
    expect(injectBeforeBodyEnd("<body>a</body>b</body", html)).toBe("<body>a<X></body>b</body");
    expect(injectBeforeBodyEnd("<body>a</body>b</bodyx>", html)).toBe("<body>a<X></body>b</bodyx>");
  });

  it("keeps CRLF pages, BOMs and non-ASCII text byte for byte", () => {
    const s = setup({});
    const page = `\uFEFF<html>\r\n<body>\r\n<p>Grüße — 日本 \u2028</p>\r\n${PAGE.slice(PAGE.indexOf("<p><a"), PAGE.indexOf("</body>"))}</body>\r\n</html>`;
    const out = s.injectIntoPage(page);
    expect(out.replace(s.html, "")).toBe(page);
  });

  it("file mode injects the tag, also idempotently", () => {
    const s = setup({ script: "file" });
    const out = s.injectIntoPage(PAGE);
    expect(out).toContain(s.html);
    expect(s.injectIntoPage(out)).toBe(out);
  });
});

describe("budget", () => {
  it("the inline snippet with an 8-store config is at most 1,024 bytes gzip; the client alone smaller", () => {
    const s = setup({}, EIGHT);
    const snippet = gzipSync(s.html, { level: 9 }).length;
    const client = gzipSync(code.code, { level: 9 }).length;
    expect(snippet).toBeLessThanOrEqual(1024);
    expect(client).toBeLessThan(snippet);
  });
});

describe("time zone table", () => {
  it("lists only zones the runtime knows, and every city belongs to one country", () => {
    const cities = new Map<string, string>();
    const unknown: string[] = [];
    for (const [country, zones] of countryZones()) {
      expect(country).toMatch(/^[A-Z]{2}$/);
      for (const zone of zones) {
        try {
          new Intl.DateTimeFormat("en", { timeZone: zone });
        } catch {
          unknown.push(zone);
        }
        const city = zoneCity(zone);
        expect(city.length, zone).toBeGreaterThan(2);
        const other = cities.get(city);
        if (other) expect(other, `${city} in ${other} and ${country}`).toBe(country);
        cities.set(city, country);
      }
    }
    expect(unknown).toEqual([]);
    // Every zone the runtime reports has a country (so nothing goes unmatched by omission).
    const listed = new Set([...countryZones().values()].flat());
    expect(Intl.supportedValuesOf("timeZone").filter((z) => !listed.has(z) && !/^(Etc\/|UTC$)/.test(z))).toEqual([]);
  });

  it.skipIf(!existsSync("/usr/share/zoneinfo/zone.tab"))("agrees with the system's zone.tab", () => {
    const rows = readFileSync("/usr/share/zoneinfo/zone.tab", "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    const missing: string[] = [];
    for (const row of rows) {
      const [country, , zone] = row.split("\t");
      if (!countryZones().get(country!)?.includes(zone!)) missing.push(`${country} ${zone}`);
    }
    expect(missing).toEqual([]);
  });
});
