/**
 * HTML the fake Amazon serves: the real pages of test/fixtures/amazon-pages/
 * (see its index.json for where each was saved), so the fake answers as
 * Amazon does. Product pages are the real live-us-wall-sconce.html page with
 * the product's title, ASIN and availability put in.
 */
import { readFileSync } from "node:fs";

const FIXTURES = new URL("../fixtures/amazon-pages/", import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const productTemplate = fixture("live-us-wall-sconce.html");
const REAL_ASIN = "B07G2L3JMM";
const REAL_TITLE = /(<span id="productTitle"[^>]*>)[^<]*(<\/span>)/;
const REAL_DOCUMENT_TITLE = /<title>[^<]*<\/title>/;
const REAL_AVAILABILITY = /<div id="availability"[\s\S]*?<\/div>/;
const BUY_BUTTONS = /<input id="(add-to-cart|buy-now)-button"[^\n]*\n/g;

/** A product page of `host` for `asin`; `unavailable` shows Amazon's "Currently unavailable." box without buy buttons. */
export function productPage(host: string, asin: string, title: string, options: { unavailable?: boolean } = {}): string {
  const store = host.replace(/^www\./, "").replace(/^amazon/, "Amazon");
  let page = productTemplate
    .replace(REAL_TITLE, (_all, open: string, close: string) => `${open}\n        ${escapeHtml(title)}\n      ${close}`)
    .replace(REAL_DOCUMENT_TITLE, `<title>${escapeHtml(title)} - - ${store}</title>`)
    .replaceAll(REAL_ASIN, asin)
    .replace("https://www.amazon.com/", `https://${host}/`);
  if (options.unavailable) {
    page = page
      .replace(
        REAL_AVAILABILITY,
        `<div id="availability" class="a-section a-spacing-base">\n    <span class="a-size-medium a-color-price">\n    Currently unavailable.\n    </span>\n    <br>We don't know when or if this item will be back in stock.\n</div>`,
      )
      .replace(BUY_BUTTONS, "");
  }
  return page;
}

/** Amazon's "dog" page (amazon.ca's, as saved), served with 404 for an ASIN that does not exist. */
export function notFoundPage(): string {
  return fixture("not-found-ca-404.html");
}

/** The robot check (amazon.com's "Robot Check" head and amazon.ca's captcha form): Amazon sends it with 200 or 503. */
export function captchaPage(): string {
  return fixture("robot-check-us-200.html").replace(/\s*<div class="a-box-inner">\s*$/, "") + fixture("captcha-ca.html");
}

/** The "Click the button below to continue shopping" wall (amazon.in's, served with 503). */
export function continueShoppingPage(): string {
  return fixture("continue-shopping-in-503.html");
}

/** AWS WAF's JavaScript challenge, served with 202. */
export function wafChallengePage(): string {
  return fixture("waf-challenge-202.html");
}

/** Amazon's "Sorry! Something went wrong!" page, served with 500 or 503. */
export function serverErrorPage(): string {
  return fixture("server-error-us-503.html");
}

/** amazon.de's sign-in page: a 200 without a product. */
export function signInPage(): string {
  return fixture("signin-de-200.html");
}
