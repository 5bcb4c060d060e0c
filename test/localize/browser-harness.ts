/**
 * Shared by the localization browser suites: a node:http server on 127.0.0.1,
 * Chromium contexts that cannot reach anything else (every other request is
 * recorded and answered locally), and helpers to read the page's links.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";

export interface Route {
  body: string;
  type?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Delay before answering, ms. */
  delay?: number;
}

export interface TestServer {
  origin: string;
  /** Paths requested, in order. */
  hits: string[];
  routes: Map<string, Route>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css" };

/** Serve `routes` (path → response) and, when given, files from `root` (a built site). */
export async function serve(routes: Record<string, Route> = {}, root?: string): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const hits: string[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    hits.push(path);
    const route = table.get(path);
    if (route) {
      if (route.delay) await new Promise((r) => setTimeout(r, route.delay));
      if (res.destroyed) return;
      res.writeHead(route.status ?? 200, {
        "content-type": route.type ?? "text/html; charset=utf-8",
        "cache-control": "no-store",
        ...route.headers,
      });
      res.end(route.body);
      return;
    }
    if (root) {
      let file = normalize(join(root, decodeURIComponent(path)));
      if (file.startsWith(root)) {
        try {
          if ((await stat(file)).isDirectory()) file = join(file, "index.html");
          const body = await readFile(file);
          res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
          res.end(body);
          return;
        } catch {
          // 404 below
        }
      }
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    routes: table,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Every request the page made (URLs). */
  requests: string[];
  /** Requests that tried to leave 127.0.0.1 (answered with a stub, never sent). */
  outside: string[];
  /** Console errors and page errors (CSP violations show up here). */
  errors: string[];
}

/** A fresh context (time zone, locale, …) whose network is 127.0.0.1 only. */
export async function newVisitor(browser: Browser, options: BrowserContextOptions = {}): Promise<Visitor> {
  const context = await browser.newContext(options);
  const requests: string[] = [];
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    outside.push(url.href);
    // Never sent: answered here with a stub page (navigations to Amazon land on it).
    return route.fulfill({ status: 200, contentType: "text/html", body: "<p>stub</p>" });
  });
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return { context, page, requests, outside, errors };
}

/** id (or href order) → current href of every `a[data-amazon-store]` in the page. */
export async function linkHrefs(page: Page): Promise<Record<string, string>> {
  return page.$$eval("a[data-amazon-store]", (links) =>
    Object.fromEntries(links.map((a, i) => [a.id || String(i), a.getAttribute("href") ?? ""])),
  );
}

/** Expected hosts and tags of the stores the suites configure. */
export const HOST: Record<string, string> = {
  us: "www.amazon.com",
  ca: "www.amazon.ca",
  uk: "www.amazon.co.uk",
  de: "www.amazon.de",
  fr: "www.amazon.fr",
  jp: "www.amazon.co.jp",
  au: "www.amazon.com.au",
  in: "www.amazon.in",
  it: "www.amazon.it",
  es: "www.amazon.es",
};
