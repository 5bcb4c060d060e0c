/**
 * Runs the built browser script in a node:vm context with a minimal fake DOM:
 * fast, exhaustive checks of detection and rewriting (every time zone, every
 * country). The real-browser behaviour is proven in test/browser/.
 */
import { runInNewContext } from "node:vm";
import { buildClient } from "../../scripts/build-client.mjs";

let built: Promise<{ code: string; geo: string }> | undefined;

/** The minified client (both variants), built once per test file, not written to disk. */
export function clientCode(): Promise<{ code: string; geo: string }> {
  built ??= buildClient({ write: false });
  return built;
}

export interface FakeLink {
  attrs: Record<string, string>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  closest(selector: string): FakeLink | null;
}

export function fakeLink(attrs: Record<string, string>): FakeLink {
  const link: FakeLink = {
    attrs: { ...attrs },
    getAttribute: (name) => link.attrs[name] ?? null,
    setAttribute: (name, value) => {
      link.attrs[name] = value;
    },
    closest: (selector) => (selector === "a[data-amazon-store]" && "data-amazon-store" in link.attrs ? link : null),
  };
  return link;
}

export interface Visit {
  timeZone?: string;
  languages?: string[];
  links: FakeLink[];
  readyState?: "loading" | "interactive" | "complete";
  fetch?: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; text(): Promise<string> }>;
}

export interface VisitResult {
  /** Fire a DOM event type at a link (as the document's capture listeners see it). */
  fire(type: string, link: FakeLink): void;
  /** Run DOMContentLoaded listeners. */
  contentLoaded(): void;
  listeners: Map<string, Array<(event: unknown) => void>>;
  errors: unknown[];
}

/** Execute `script` (the snippet's JS, config included) against a fake page. */
export function visit(script: string, page: Visit): VisitResult {
  const listeners = new Map<string, Array<(event: unknown) => void>>();
  const errors: unknown[] = [];
  const document = {
    readyState: page.readyState ?? "complete",
    querySelectorAll: (selector: string) => {
      if (selector !== "a[data-amazon-store]") throw new Error(`unexpected selector ${selector}`);
      return page.links.filter((l) => "data-amazon-store" in l.attrs);
    },
    addEventListener: (type: string, listener: (event: unknown) => void) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  const context = {
    document,
    navigator: { languages: page.languages ?? [], language: page.languages?.[0] ?? "" },
    Intl: { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: page.timeZone }) }) },
    fetch: page.fetch ?? (() => Promise.reject(new Error("network disabled in the harness"))),
    AbortController,
    setTimeout,
    location: { href: "http://127.0.0.1/" },
  };
  try {
    runInNewContext(script, context);
  } catch (error) {
    errors.push(error);
  }
  return {
    listeners,
    errors,
    fire(type, link) {
      for (const listener of listeners.get(type) ?? []) listener({ type, target: link });
    },
    contentLoaded() {
      for (const listener of listeners.get("DOMContentLoaded") ?? []) listener({ type: "DOMContentLoaded" });
    },
  };
}

/** The JS inside an inline snippet `<script …>JS</script>`. */
export function scriptBody(html: string): string {
  const match = /^<script[^>]*>([\s\S]*)<\/script>$/.exec(html);
  if (!match) throw new Error(`not an inline script: ${html.slice(0, 80)}`);
  return match[1]!;
}
