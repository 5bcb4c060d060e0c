/**
 * The "creators" checker: Amazon's Creators API (successor of PA-API 5.0).
 * Each store goes to the credential of its region, with the partner tag of
 * that store (the plugin's own by default). ASINs asked in the same turn of
 * the event loop are batched per store, up to 10 per getItems request; while
 * one batch is in flight the next one fills. A request Amazon calls wrong for
 * the whole store (partner tag, associate) is one CheckRunError for the run,
 * never a failure per ASIN; an account without the qualifying sales is one
 * warning, its products unverified (or checked by page).
 */
import type { Marketplace } from "../amazon/stores.js";
import { describeApiError, readApiError, readGetItems, type ApiError } from "./creators-answer.js";
import { authorizationHeader, TokenSource } from "./creators-auth.js";
import { AVAILABILITY_RESOURCE } from "./creators-availability.js";
import { regionVariables, type Credentials } from "./creators-credentials.js";
import { creatorsRegionOf, type CreatorsRegion } from "./creators-regions.js";
import { CheckRunError } from "./errors.js";
import { request, type HttpContext } from "./http.js";
import type { Verdict } from "./types.js";

export const CREATORS_HOST = "creatorsapi.amazon";
const GET_ITEMS = `https://${CREATORS_HOST}/catalog/v1/getItems`;
const RESOURCES = ["itemInfo.title", AVAILABILITY_RESOURCE];
/** Only throttling makes the API a host to leave alone; its 403 is about the account (AssociateNotEligible). */
export const throttled = (response: { status: number }): string | undefined =>
  response.status === 429 ? "throttled by the Creators API (HTTP 429)" : undefined;

interface Pending {
  asin: string;
  resolve: (verdict: Verdict) => void;
  reject: (error: unknown) => void;
}

export interface CreatorsSetup {
  /** Credentials by region (see creators-credentials.ts). */
  credentials: ReadonlyMap<CreatorsRegion["id"], Credentials>;
  /** The partner tag sent for a store; undefined: the store is not asked. */
  partnerTag: (store: string) => string | undefined;
  /** Checks a product by its page, for what the API cannot answer (check.creators.fallback: "page"). */
  fallback?: ((asin: string, store: Marketplace) => Promise<Verdict>) | undefined;
  /** Said once per run, for problems of the account rather than of a product. */
  warn: (message: string) => void;
}

export class CreatorsChecker {
  private readonly queues = new Map<string, Pending[]>();
  private readonly draining = new Set<string>();
  private readonly tokens = new Map<CreatorsRegion["id"], TokenSource>();
  /** Stores whose account lacks the qualifying sales, with Amazon's message. */
  private readonly ineligible = new Map<string, string>();
  private warnedIneligible = false;
  private fatal: unknown;

  constructor(
    private readonly ctx: HttpContext,
    private readonly setup: CreatorsSetup,
  ) {}

  check(asin: string, store: Marketplace): Promise<Verdict> {
    if (this.fatal) return Promise.reject(this.fatal);
    const cannot = this.whyNotAsked(store);
    if (cannot) return this.instead(asin, store, cannot);
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

  /** Why the API is not asked about this store, if it is not. */
  private whyNotAsked(store: Marketplace): string | undefined {
    const region = creatorsRegionOf(store.code);
    if (!region) return `the Creators API does not serve ${store.host}`;
    if (!this.setup.credentials.has(region.id)) {
      const names = regionVariables(region);
      return `no Creators API credential for ${region.name} (${store.host}): set ${names.id} and ${names.secret}`;
    }
    if (!this.setup.partnerTag(store.code)) {
      return `no partner tag for ${store.code}: the Creators API needs one of your tags for ${store.host} (add it to "tags", or check.creators.partnerTag.${store.code})`;
    }
    const ineligible = this.ineligible.get(store.code);
    if (ineligible) return ineligible;
    return undefined;
  }

  /** What the API could not answer: the page checker when allowed, else unverified with the reason. */
  private async instead(asin: string, store: Marketplace, reason: string): Promise<Verdict> {
    if (!this.setup.fallback) return { status: "unverified", reason };
    const verdict = await this.setup.fallback(asin, store);
    return {
      ...verdict,
      via: "page",
      ...(verdict.status === "unverified" ? { reason: `${verdict.reason ?? "could not be checked"} (checked by page: ${reason})` } : {}),
    };
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
          const verdicts = await this.getItems(
            store,
            batch.map((p) => p.asin),
          );
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

  private tokenSource(credentials: Credentials): TokenSource {
    let source = this.tokens.get(credentials.region.id);
    if (!source) this.tokens.set(credentials.region.id, (source = new TokenSource(this.ctx, credentials)));
    return source;
  }

  private async getItems(store: Marketplace, asins: string[]): Promise<Map<string, Verdict>> {
    const all = (verdict: Verdict) => new Map(asins.map((a) => [a, verdict]));
    const credentials = this.setup.credentials.get(creatorsRegionOf(store.code)!.id)!;
    const tokens = this.tokenSource(credentials);
    const partnerTag = this.setup.partnerTag(store.code)!;
    const body = JSON.stringify({ itemIds: asins, itemIdType: "ASIN", marketplace: store.host, partnerTag, resources: RESOURCES });
    let rejected: { token: string; error: ApiError | undefined } | undefined;
    for (let auth = 0; auth < 2; auth++) {
      if (this.fatal) throw this.fatal;
      const token = await tokens.get(rejected ? { refresh: true, rejected: rejected.token } : {});
      if (!token.ok) return all({ status: "unverified", reason: token.reason });
      const outcome = await request(this.ctx, {
        url: new URL(GET_ITEMS),
        method: "POST",
        headers: {
          authorization: authorizationHeader(credentials, token.token),
          "content-type": "application/json",
          accept: "application/json",
          "x-marketplace": store.host,
        },
        body,
        maxBody: 1_000_000,
        // Amazon documents the wait of a 429 in its body (retryAfterSeconds), not in a header.
        blocked: throttled,
        retryAfter: (response) => {
          const seconds = response.status === 429 ? readApiError(response.body)?.retryAfterSeconds : undefined;
          return seconds === undefined ? undefined : seconds * 1_000;
        },
      });
      if (outcome.kind === "failure") return all({ status: "unverified", reason: `Creators API: ${outcome.reason}` });
      const { status, body: text } = outcome.response;
      const answer = readGetItems(status, text, asins, store.host);
      switch (answer.kind) {
        case "verdicts": {
          const verdicts = answer.verdicts;
          // Not accessible through the API is not proof of death: the page may say more.
          await Promise.all(
            [...answer.notAccessible].map(async ([asin, message]) => {
              verdicts.set(asin, await this.instead(asin, store, `the Creators API cannot say (ItemNotAccessible: ${message})`));
            }),
          );
          return verdicts;
        }
        case "configuration":
          throw new CheckRunError(this.configurationMessage(store, partnerTag, credentials, answer.error), "configuration");
        case "ineligible":
          return this.markIneligible(store, asins, answer.error);
        case "unverified":
          return all({ status: "unverified", reason: outcome.note ? `${answer.reason}; ${outcome.note}` : answer.reason });
        case "unauthorized":
          // The token may have been revoked or expired early: one fresh token, one more try.
          rejected = { token: token.token, error: answer.error };
      }
    }
    const why = rejected?.error ? ` (${describeApiError(rejected.error)})` : "";
    throw new CheckRunError(
      `[amazon-links] the Creators API refused a freshly issued token (HTTP 401 twice${why}) for ${store.host}. ` +
        `The credential in ${credentials.idVariable} (version ${credentials.version}) may not be enabled for the Creators API; check it in Associates Central.`,
      "credentials",
    );
  }

  private configurationMessage(store: Marketplace, partnerTag: string, credentials: Credentials, error: ApiError): string {
    const what = error.reason === "FieldValidationFailed" ? "rejected the request" : `rejected the partner tag "${partnerTag}"`;
    return (
      `[amazon-links] the Creators API ${what} for ${store.host} (store "${store.code}", tag "${partnerTag}", credential ${credentials.idVariable}, ${credentials.region.name}): ` +
      `HTTP 400 ${describeApiError(error)}. Use a tag of the Associates account that owns this credential, for that store: ` +
      `the first tag in tags.${store.code}, or check.creators.partnerTag.${store.code}.`
    );
  }

  private async markIneligible(store: Marketplace, asins: string[], error: ApiError): Promise<Map<string, Verdict>> {
    const reason = `the Creators API refused ${store.host}: the Associates account is not eligible (AssociateNotEligible)`;
    this.ineligible.set(store.code, reason);
    if (!this.warnedIneligible) {
      this.warnedIneligible = true;
      this.setup.warn(
        `[amazon-links] the Creators API says the Associates account for ${store.host} is not eligible (AssociateNotEligible: ${error.message || "no message"}). ` +
          `Amazon opens the API only to accounts with 10 qualifying sales in the last 30 days; it reopens by itself once they are reached. ` +
          `Meanwhile products there are ${this.setup.fallback ? "checked by page" : 'unverified (set check.creators.fallback: "page" to check them by page)'}; this does not fail the build.`,
      );
    }
    const verdicts = new Map<string, Verdict>();
    await Promise.all(asins.map(async (asin) => verdicts.set(asin, await this.instead(asin, store, reason))));
    return verdicts;
  }
}
