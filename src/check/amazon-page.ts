/**
 * What an answer from an Amazon store says about itself, read from its
 * structure: the elements, ids, form actions and scripts that tell a product
 * page from Amazon's not-found, server-error, robot-check and sign-in pages
 * (see test/fixtures/amazon-pages/ for the real pages each marker comes from).
 *
 * One pass of htmlparser2's tokenizer over the body, in linear time whatever
 * the body holds: no regular expression ever runs over the page, captured
 * text is capped, and comments are never read (Amazon puts the same
 * "api-services-support@amazon.com" comment on every kind of page).
 */
import type { Tokenizer as TokenizerClass } from "htmlparser2";
import { decodeHTML, decodeHTMLAttribute } from "entities";

export interface AmazonPageFacts {
  /** Decoded, whitespace-collapsed text of `#productTitle` (or `#ebooksProductTitle` on Kindle pages). */
  productTitle?: string;
  /** Decoded text of `<title>`. */
  documentTitle?: string;
  /** Visible text of `#availability` (scripts and styles left out). */
  availability?: string;
  /** An `#outOfStock` box is on the page. */
  outOfStock: boolean;
  /** Buying controls: add-to-cart or buy-now buttons, the buy box. */
  buyBox: boolean;
  /** ASINs the page declares as its own: `<input name="ASIN">` values and the canonical `/dp/` link. */
  asins: string[];
  /** Amazon's "Sorry! We couldn't find that page" page (the dogs of Amazon, `ref=cs_404` links). */
  notFoundPage: boolean;
  /** Amazon's "Sorry! Something went wrong" page (`ref=cs_503` links, the 500/503 image). */
  serverErrorPage: boolean;
  /** Which robot wall, when the page is one. */
  robotWall?: "captcha" | "continue-shopping" | "waf-challenge";
  /** A sign-in form (`name="signIn"`, `/ap/signin`). */
  signIn: boolean;
}

/** Text kept per captured element: enough for any real title, bounded for hostile ones. */
const MAX_TEXT = 4_000;
const PRODUCT_TITLE_IDS = new Set(["productTitle", "ebooksProductTitle"]);
const BUY_BOX_IDS = new Set(["add-to-cart-button", "buy-now-button", "buybox", "desktop_buybox", "addToCart"]);
const RAW_TEXT = new Set(["script", "style"]);
/** Elements without an end tag: never captured (their text would run to the end of the page). */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
/** Script content that only AWS WAF's JavaScript challenge carries. */
const WAF_SCRIPT_MARKERS = ["awsWafCookieDomainList", "gokuProps"];
/** The robot-check host Amazon names in its captcha and continue-shopping pages' scripts. */
const CAPTCHA_SCRIPT_MARKER = "opfcaptcha.amazon.com";

type Capture = "title" | "productTitle" | "availability";

/** The attributes the reader looks at; others are skipped without being copied. */
const ATTRIBUTES = new Set(["id", "name", "value", "href", "rel", "action", "src", "alt"]);
const LONGEST_ATTRIBUTE = 6;

/** The parts of a start tag the reader looks at (first occurrence of each attribute wins, as in browsers). */
interface StartTag {
  name: string;
  attributes: Map<string, string> | undefined;
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

let tokenizerClass: Promise<typeof TokenizerClass> | undefined;

/** htmlparser2 is loaded on the first page read: builds answered from the lockfile never pay for it. */
export function loadPageReader(): Promise<(html: string) => AmazonPageFacts> {
  tokenizerClass ??= import("htmlparser2").then((module) => module.Tokenizer);
  return tokenizerClass.then((Tokenizer) => (html: string) => readAmazonPage(Tokenizer, html));
}

function collapse(text: string): string {
  let out = "";
  let space = false;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Whitespace, controls and bidi overrides become one space: titles end up in logs and reports.
    const blank =
      code <= 0x20 ||
      (code >= 0x7f && code <= 0xa0) ||
      (code >= 0x200b && code <= 0x200f) ||
      (code >= 0x2028 && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069);
    if (blank) space = out.length > 0;
    else {
      if (space) out += " ";
      out += char;
      space = false;
    }
  }
  return out;
}

export function readAmazonPage(Tokenizer: typeof TokenizerClass, html: string): AmazonPageFacts {
  const facts: AmazonPageFacts = {
    outOfStock: false,
    buyBox: false,
    asins: [],
    notFoundPage: false,
    serverErrorPage: false,
    signIn: false,
  };
  const texts: Record<Capture, string> = { title: "", productTitle: "", availability: "" };
  const done = new Set<Capture>();
  // The element being captured: its name and how deep in same-named elements we are.
  let capture: { kind: Capture; name: string; depth: number } | undefined;
  let rawText: string | undefined;
  let tag: StartTag | undefined;
  let attributeName = "";
  let attributeValue = "";
  let captchaForm = false;
  let captchaInput = false;
  let captchaScript = false;
  let dogsOfAmazon = false;

  const keep = (kind: Capture, start: number, end: number): void => {
    const room = MAX_TEXT - texts[kind].length;
    if (room > 0) texts[kind] += html.slice(start, Math.min(end, start + room));
  };

  const onStartTag = (selfClosing: boolean): void => {
    const current = tag!;
    tag = undefined;
    const { name } = current;
    const attributes = current.attributes ?? NO_ATTRIBUTES;
    const id = attributes.get("id");
    const href = attributes.get("href") ?? "";
    const container = !selfClosing && !VOID.has(name);
    if (capture && capture.name === name && container) capture.depth++;
    if (id !== undefined) {
      if (PRODUCT_TITLE_IDS.has(id) && !done.has("productTitle") && !capture && container)
        capture = { kind: "productTitle", name, depth: 1 };
      else if (id === "availability" && !done.has("availability") && !capture && container)
        capture = { kind: "availability", name, depth: 1 };
      if (id === "outOfStock") facts.outOfStock = true;
      if (BUY_BOX_IDS.has(id)) facts.buyBox = true;
      if (id === "captchacharacters") captchaInput = true;
      if (id === "challenge-container") facts.robotWall ??= "waf-challenge";
    }
    if (PRODUCT_TITLE_IDS.has(id ?? "")) facts.productTitle ??= "";
    if (name === "input" && (attributes.get("name") === "ASIN" || id === "ASIN")) {
      const value = attributes.get("value");
      if (value) facts.asins.push(value.trim().toUpperCase());
    }
    if (name === "link" && attributes.get("rel")?.toLowerCase() === "canonical") {
      const at = href.indexOf("/dp/");
      if (at >= 0) facts.asins.push(href.slice(at + 4, at + 14).toUpperCase());
    }
    if (name === "form") {
      const action = attributes.get("action") ?? "";
      if (action.includes("/validateCaptcha")) captchaForm = true;
      if (attributes.get("name") === "signIn" || action.includes("/ap/signin")) facts.signIn = true;
    }
    if (name === "a" || name === "img") {
      if (href.includes("cs_404")) facts.notFoundPage = true;
      if (href.includes("cs_503") || (attributes.get("src") ?? "").includes("500_503.png")) facts.serverErrorPage = true;
      if (href.includes("/dogsofamazon")) dogsOfAmazon = true;
      const alt = attributes.get("alt") ?? "";
      if (alt.startsWith("Dogs of Amazon")) dogsOfAmazon = true;
      if (alt.startsWith("Sorry! We couldn") && alt.includes("find that page")) facts.notFoundPage = true;
      if (alt.startsWith("Sorry! Something went wrong")) facts.serverErrorPage = true;
    }
    if (name === "title" && !done.has("title") && !capture) capture = { kind: "title", name, depth: 1 };
    if (name === "script" && (attributes.get("src") ?? "").includes(".awswaf.com/")) facts.robotWall ??= "waf-challenge";
    if (RAW_TEXT.has(name) && !selfClosing) rawText = name;
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        tag = { name: html.slice(start, end).toLowerCase(), attributes: undefined };
      },
      onattribname(start, end) {
        attributeName = end - start <= LONGEST_ATTRIBUTE ? html.slice(start, end).toLowerCase() : "";
        attributeValue = "";
      },
      onattribdata(start, end) {
        if (ATTRIBUTES.has(attributeName) && attributeValue.length < MAX_TEXT)
          attributeValue += html.slice(start, Math.min(end, start + MAX_TEXT));
      },
      onattribentity() {},
      onattribend() {
        if (!tag || !ATTRIBUTES.has(attributeName)) return;
        tag.attributes ??= new Map();
        if (!tag.attributes.has(attributeName)) tag.attributes.set(attributeName, decodeHTMLAttribute(attributeValue));
      },
      onopentagend() {
        if (tag) onStartTag(false);
      },
      onselfclosingtag() {
        if (tag) onStartTag(true);
      },
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase();
        if (rawText === name) rawText = undefined;
        if (capture && capture.name === name && --capture.depth === 0) {
          done.add(capture.kind);
          capture = undefined;
        }
      },
      ontext(start, end) {
        if (rawText === "script") {
          const script = html.slice(start, end);
          if (WAF_SCRIPT_MARKERS.some((marker) => script.includes(marker))) facts.robotWall ??= "waf-challenge";
          if (script.includes(CAPTCHA_SCRIPT_MARKER)) captchaScript = true;
        }
        // The title is raw text too, and the one raw text kept.
        if (capture && (capture.kind === "title" || rawText === undefined)) keep(capture.kind, start, end);
      },
      ontextentity() {},
      oncomment() {},
      oncdata() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();

  if (facts.productTitle !== undefined) facts.productTitle = collapse(decodeHTML(texts.productTitle));
  if (done.has("title") || texts.title) facts.documentTitle = collapse(decodeHTML(texts.title));
  if (done.has("availability") || texts.availability) facts.availability = collapse(decodeHTML(texts.availability));
  if (dogsOfAmazon && facts.documentTitle === "Page Not Found") facts.notFoundPage = true;
  if (!facts.robotWall) {
    // The captcha asks for characters; the "continue shopping" wall has the same form with a button only.
    if (captchaInput || facts.documentTitle === "Robot Check") facts.robotWall = "captcha";
    else if (captchaForm) facts.robotWall = "continue-shopping";
    else if (captchaScript) facts.robotWall = "captcha";
  }
  return facts;
}
