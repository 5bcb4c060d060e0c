/**
 * The "creators" checker: Amazon's Creators API (successor of PA-API 5.0).
 * ASINs asked in the same turn of the event loop are batched per store, up to
 * 10 per getItems request; while one batch is in flight the next one fills.
 * Bad credentials are one CheckRunError for the whole run, never a failure per
 * ASIN.
 */
import type { Marketplace } from "../amazon/stores.js";
import { authorizationHeader, TokenSource } from "./creators-auth.js";
import { CheckRunError } from "./errors.js";
import { request, type HttpContext } from "./http.js";
import type { Verdict } from "./types.js";

const GET_ITEMS = "https://creatorsapi.amazon/catalog/v1/getItems";
const NOT_FOUND_CODES = new Set(["ItemNotAccessible", "InvalidParameterValue", "ResourceNotFound", "ItemNotFound", "NoResults"]);

interface ApiError {
  code?: unknown;
  message?: unknown;
}
interface GetItemsAnswer {
  itemsResult?: { items?: { asin?: unknown; itemInfo?: { title?: { displayValue?: unknown } } }[] };
  errors?: ApiError[];
}

interface Pending {
  asin: string;
  resolve: (verdict: Verdict) => void;
  reject: (error: unknown) => void;
}

export class CreatorsChecker {
  private readonly queues = new Map<string, Pending[]>();
  private readonly draining = new Set<string>();
  private fatal: unknown;

  constructor(
    private readonly ctx: HttpContext,
    private readonly tokens: TokenSource,
  ) {}

  check(asin: string, store: Marketplace): Promise<Verdict> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(store.code) ?? [];
      this.queues.set(store.code, queue);
      queue.push({ asin, resolve, reject });
      if (!this.draining.has(store.code)) {
        this.draining.add(store.code);
        // Let every caller of this turn queue first, so they share a batch.
        setImmediate(() => void this.drain(store));
      }
    });
  }

  private async drain(store: Marketplace): Promise<void> {
    const queue = this.queues.get(store.code)!;
    try {
      while (queue.length > 0) {
        // Wait for our turn first, then fill the batch: ASINs asked meanwhile join it.
        const deadline = this.ctx.budget.start();
        await this.ctx.clock.sleep(this.ctx.limiter.delayFor(new URL(GET_ITEMS).hostname), deadline);
        const batch = queue.splice(0, this.ctx.options.creators.batchSize);
        try {
          const verdicts = await this.getItems(store, batch.map((p) => p.asin));
          for (const p of batch) p.resolve(verdicts.get(p.asin) ?? { status: "unverified", reason: "no answer from the Creators API" });
        } catch (error) {
          if (error instanceof CheckRunError) this.fatal ??= error;
          for (const p of [...batch, ...queue.splice(0)]) p.reject(this.fatal ?? error);
        }
      }
    } finally {
      this.draining.delete(store.code);
    }
  }

  private async getItems(store: Marketplace, asins: string[]): Promise<Map<string, Verdict>> {
    const all = (verdict: Verdict) => new Map(asins.map((a) => [a, verdict]));
    const partnerTag = this.ctx.options.creators.partnerTag(store.code);
    const body = JSON.stringify({
      itemIds: asins,
      ...(partnerTag ? { partnerTag } : {}),
      resources: ["itemInfo.title"],
    });
    let rejected: string | undefined;
    for (let auth = 0; auth < 2; auth++) {
      if (this.fatal) throw this.fatal;
      const token = await this.tokens.get(rejected ? { refresh: true, rejected } : {});
      if (!token.ok) return all({ status: "unverified", reason: token.reason });
      const outcome = await request(this.ctx, {
        url: new URL(GET_ITEMS),
        method: "POST",
        headers: {
          authorization: authorizationHeader(this.tokens.credentials, token.token),
          "content-type": "application/json",
          accept: "application/json",
          "x-marketplace": store.host,
        },
        body,
        maxBody: 1_000_000,
      });
      if (outcome.kind === "failure") return all({ status: "unverified", reason: `Creators API: ${outcome.reason}` });
      const { status } = outcome.response;
      if (status !== 401) return this.interpret(store, asins, status, outcome.response.body);
      // The token may have been revoked or expired early: one fresh token, one more try.
      rejected = token.token;
    }
    throw new CheckRunError(
      "[amazon-links] the Creators API refused a freshly issued token (HTTP 401 twice). The credentials may not be enabled for the Creators API; check them in Associates Central.",
      "credentials",
    );
  }

  private interpret(store: Marketplace, asins: string[], status: number, text: string): Map<string, Verdict> {
    let answer: GetItemsAnswer = {};
    try {
      answer = JSON.parse(text) as GetItemsAnswer;
    } catch {
      // Judged by status alone.
    }
    const errors = Array.isArray(answer.errors) ? answer.errors : [];
    const codes = errors.map((e) => String(e.code ?? ""));
    if (status === 403 || codes.includes("InvalidAssociate") || codes.includes("AccessDenied")) {
      throw new CheckRunError(
        `[amazon-links] the Creators API says these credentials may not be used for ${store.host} (HTTP ${status}${codes[0] ? `, ${codes[0]}` : ""}). ` +
          "Check the credential's store and Associates account in Associates Central.",
        "credentials",
      );
    }
    if (codes.includes("InvalidPartnerTag")) {
      throw new CheckRunError(
        `[amazon-links] the Creators API rejected the partner tag for ${store.host} (check.creators.partnerTag). Use a tag of your Associates account for that store.`,
        "configuration",
      );
    }
    const verdicts = new Map<string, Verdict>();
    if (status === 200) {
      for (const item of answer.itemsResult?.items ?? []) {
        if (typeof item.asin !== "string") continue;
        const asin = item.asin.toUpperCase();
        const title = item.itemInfo?.title?.displayValue;
        verdicts.set(asin, typeof title === "string" && title.trim() ? { status: "live", title: title.trim() } : { status: "live" });
      }
    }
    if (status === 200 || status === 400 || status === 404) {
      for (const error of errors) {
        const code = String(error.code ?? "");
        const message = typeof error.message === "string" ? error.message : "";
        if (!NOT_FOUND_CODES.has(code)) continue;
        for (const asin of asins) {
          if (!verdicts.has(asin) && message.toUpperCase().includes(asin)) {
            verdicts.set(asin, { status: "dead", reason: `not found in ${store.host} (Creators API: ${code})` });
          }
        }
      }
    }
    for (const asin of asins) {
      if (verdicts.has(asin)) continue;
      if (status === 404) verdicts.set(asin, { status: "dead", reason: `not found in ${store.host} (Creators API: HTTP 404, no items found)` });
      else if (status === 200) verdicts.set(asin, { status: "unverified", reason: "missing from the Creators API answer without an error" });
      else if (status === 429) verdicts.set(asin, { status: "unverified", reason: "throttled by the Creators API (HTTP 429)" });
      else verdicts.set(asin, { status: "unverified", reason: `Creators API answered HTTP ${status}${codes[0] ? ` (${codes[0]})` : ""}` });
    }
    return verdicts;
  }
}
