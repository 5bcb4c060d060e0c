/**
 * Links in an `<iframe srcdoc>` nested in another one (two and three levels, every quoting style) are
 * rewritten through each attribute's escaping. Chromium (Debian's /usr/bin/chromium) is the oracle: in
 * every frame it reads each Amazon link as the tagged href we decided, with the attributes we added,
 * and builds the same elements as from the page before the rewrite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame } from "playwright-core";
import { writeAmazonLinks } from "../../src/html/rewrite-page.js";
import { resolveOptions } from "../../src/rules/options.js";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { findDecidedLinks } from "../helpers/decided-links.js";

const options = resolveOptions({ tags: { us: "ours-20", uk: "ours-21", de: "ours0d-21" } });

const PAGES = [
  // double quotes outside, single inside, the inner href in references escaped twice
  `<iframe srcdoc="<p>in</p><iframe srcdoc='<a href=&amp;quot;https://www.amazon.com/dp/B00OFWQS94?tag=x-20&amp;amp;amp;psc=1&amp;quot;>n</a>'></iframe>"></iframe>`,
  // double quotes at both levels, a link at each level
  `<iframe srcdoc="<iframe srcdoc=&quot;<a href=https://www.amazon.com/dp/B00OFWQS94 title='it&amp;amp;#39;s'>n</a>&quot;></iframe><a href=https://www.amazon.co.uk/dp/B00OFWQS94>o</a>"></iframe>`,
  // unquoted inside
  `<iframe srcdoc='<iframe srcdoc=<a&amp;#32;href=https://www.amazon.de/dp/B00OFWQS94&amp;gt;n&amp;lt;/a&amp;gt;></iframe>'></iframe>`,
  // three levels
  `<iframe srcdoc="<iframe srcdoc=&quot;<iframe srcdoc=&amp;quot;<a href=https://www.amazon.com/dp/B00OFWQS94>3</a>&amp;quot;></iframe>&quot;></iframe>"></iframe>`,
];

interface Seen {
  elements: string[];
  links: Array<{ href: string; rel: string | null; asin: string | null }>;
}

/** Every frame of the page, depth first: its elements and its links as Chromium built them. */
async function frames(frame: Frame): Promise<Seen[]> {
  // Runs in the frame (this file is type-checked without the DOM library).
  const seen = (await frame.evaluate(`({
    elements: [...document.querySelectorAll("*")].map((e) => e.tagName),
    links: [...document.querySelectorAll("a")].map((a) => ({
      href: a.href, rel: a.getAttribute("rel"), asin: a.getAttribute("data-amazon-asin"),
    })),
  })`)) as Seen;
  const children = await Promise.all(frame.childFrames().map(frames));
  return [seen, ...children.flat()];
}

let browser: Browser;

describe.skipIf(!browserAvailable())("links in a srcdoc inside a srcdoc, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(PAGES.map((page) => [page]))("%s", async (html) => {
    const found = findDecidedLinks(html, options);
    const out = writeAmazonLinks(html, found.links, options);
    const decided = found.links.map((l) => l.decision.href).sort();
    expect(decided.length, "links found in the nested documents").toBeGreaterThan(0);
    expect(decided.every((href) => /[?&]tag=ours/.test(href))).toBe(true);

    const page = await browser.newPage();
    // Nothing may leave the machine.
    await page.route("**/*", (route) => route.abort());
    try {
      await page.setContent(`<!doctype html><meta charset="utf-8"><body>${html}</body>`);
      const before = await frames(page.mainFrame());
      await page.setContent(`<!doctype html><meta charset="utf-8"><body>${out}</body>`);
      const after = await frames(page.mainFrame());

      // The same documents, with the same elements: only start tags changed.
      expect(after.map((f) => f.elements)).toEqual(before.map((f) => f.elements));
      const amazon = after.flatMap((f) => f.links).filter((l) => new URL(l.href).hostname.startsWith("www.amazon."));
      expect(amazon.map((l) => l.href).sort()).toEqual(decided);
      for (const link of amazon) expect(link).toMatchObject({ rel: "sponsored noopener", asin: "B00OFWQS94" });
      // The deepest documents were reached.
      expect(after.length).toBe(html.split("srcdoc=").length);
    } finally {
      await page.close();
    }
  });
});
