/**
 * The fake Creators API: token endpoints (Login with Amazon for 3.x, Cognito
 * for 2.x) and getItems, answering with the bodies Amazon documents
 * (test/fixtures/creators-api/, each naming its source page). Only values
 * change (tokens, ASINs, titles); shapes, field names, types and messages are
 * Amazon's. Its region table is written from Amazon's documentation, not
 * imported from the code under test.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";

const FIXTURES = fileURLToPath(new URL("../fixtures/creators-api/", import.meta.url));

/** A documented body, parsed afresh (callers may change it). */
export function creatorsFixture<T extends object = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, "utf8")) as T;
}

/** Token host → credential version it issues for (docs, "Using cURL"). */
export const TOKEN_HOST_VERSION: Readonly<Record<string, string>> = {
  "api.amazon.com": "3.1",
  "api.amazon.co.uk": "3.2",
  "api.amazon.co.jp": "3.3",
  "creatorsapi.auth.us-east-1.amazoncognito.com": "2.1",
  "creatorsapi.auth.eu-south-2.amazoncognito.com": "2.2",
  "creatorsapi.auth.us-west-2.amazoncognito.com": "2.3",
};

/** Marketplaces each region's credentials serve (x.1, x.2, x.3). */
const REGION_MARKETPLACES: Readonly<Record<string, readonly string[]>> = {
  "1": ["www.amazon.com", "www.amazon.ca", "www.amazon.com.mx", "www.amazon.com.br"],
  "2": [
    "www.amazon.co.uk",
    "www.amazon.de",
    "www.amazon.fr",
    "www.amazon.it",
    "www.amazon.es",
    "www.amazon.nl",
    "www.amazon.se",
    "www.amazon.pl",
    "www.amazon.com.be",
    "www.amazon.com.tr",
    "www.amazon.ae",
    "www.amazon.sa",
    "www.amazon.eg",
    "www.amazon.in",
    "www.amazon.ie",
  ],
  "3": ["www.amazon.co.jp", "www.amazon.sg", "www.amazon.com.au"],
};

export interface FakeCredential {
  id: string;
  secret: string;
  /** The credential's version ("3.2", "2.1", …); its token host and its marketplaces follow from it. Default "3.1". */
  version?: string;
}

export interface FakeItem {
  title: string;
  /** Out of stock: its offer listing says OUT_OF_STOCK (offersV2.listings.derived.json). */
  unavailable?: true;
}

export interface CreatorsScenario {
  credentials: readonly FakeCredential[];
  tokenTtl: number;
  /** Marketplace host (www.amazon.de) → the partner tags of the account there; any tag when absent. */
  partnerTags?: Readonly<Record<string, readonly string[]>>;
  /** Marketplace hosts where the account lacks the qualifying sales (403 AssociateNotEligible). */
  ineligible?: readonly string[];
  /** The result key: "itemsResult" (every page, both SDKs) or "itemResults" (the GetItems reference sample). */
  resultKey?: "itemsResult" | "itemResults";
  /** retryAfterSeconds in 429 bodies (the documented body carries 60); none when undefined. */
  retryAfterSeconds?: number;
}

export type Answer = { status: number; body: unknown };

interface Token {
  version: string;
  expires: number;
}

function region(version: string): string {
  return version.split(".")[1] ?? "";
}

function basicAuth(headers: IncomingMessage["headers"]): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(String(headers.authorization ?? ""));
  if (!match) return undefined;
  const [id, secret] = Buffer.from(match[1]!, "base64").toString("utf8").split(":");
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}

function asked(resources: unknown, resource: string): boolean {
  return Array.isArray(resources) && resources.includes(resource);
}

export class FakeCreatorsApi {
  private readonly tokens = new Map<string, Token>();
  issued = 0;

  constructor(
    private readonly scenario: CreatorsScenario,
    /** The product in a store (by marketplace host): undefined when it does not exist there. */
    private readonly product: (marketplace: string, asin: string) => FakeItem | "not-accessible" | undefined,
    /** The fake's clock: tokens expire on it. */
    private readonly now: () => number = Date.now,
  ) {}

  revokeTokens(): void {
    this.tokens.clear();
  }

  /** POST to a token host. */
  token(host: string, headers: IncomingMessage["headers"], body: string): Answer {
    const version = TOKEN_HOST_VERSION[host]!;
    const lwa = version.startsWith("3.");
    const type = String(headers["content-type"] ?? "");
    let fields: Record<string, unknown>;
    try {
      if (lwa && !type.startsWith("application/json")) throw new Error("type");
      if (!lwa && !type.startsWith("application/x-www-form-urlencoded")) throw new Error("type");
      fields = lwa ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
    } catch {
      return { status: 400, body: { error: "invalid_request", error_description: "Malformed request" } };
    }
    // Cognito also takes the credential in a Basic header (token-cognito.request-basic-auth.form.txt).
    const basic = lwa ? undefined : basicAuth(headers);
    const id = basic?.id ?? fields.client_id;
    const secret = basic?.secret ?? fields.client_secret;
    const request = lwa
      ? creatorsFixture("token-lwa.request.json")
      : Object.fromEntries(new URLSearchParams(readFileSync(`${FIXTURES}token-cognito.request.form.txt`, "utf8").trim()));
    if (fields.grant_type !== request.grant_type) return { status: 400, body: { error: "unsupported_grant_type" } };
    if (fields.scope !== request.scope) return { status: 400, body: { error: "invalid_scope" } };
    const known = this.scenario.credentials.find((c) => c.id === id && c.secret === secret && (c.version ?? "3.1") === version);
    if (!known) return { status: 401, body: { error: "invalid_client", error_description: "Client authentication failed" } };
    const token = `fake-token-${++this.issued}`;
    this.tokens.set(token, { version, expires: this.now() + this.scenario.tokenTtl * 1000 });
    const answer = creatorsFixture(lwa ? "token-lwa.response.json" : "token-cognito.response.json");
    return { status: 200, body: { ...answer, access_token: token, expires_in: this.scenario.tokenTtl } };
  }

  /** The authorisation check of getItems: the token, and for 2.x the version after it. */
  private authorise(headers: IncomingMessage["headers"]): Token | Answer {
    const match = /^Bearer ([^,\s]+)(?:, Version (\d\.\d))?$/.exec(String(headers.authorization ?? ""));
    const token = match ? this.tokens.get(match[1]!) : undefined;
    if (!token) return { status: 401, body: creatorsFixture("error.401.invalid-token.json") };
    if (token.expires < this.now()) return { status: 401, body: creatorsFixture("error.401.token-expired.json") };
    const stated = match![2];
    if (token.version.startsWith("2.") ? stated !== token.version : stated !== undefined) {
      return { status: 401, body: creatorsFixture("error.401.invalid-token.json") };
    }
    return token;
  }

  throttled(): Answer {
    const body = creatorsFixture("error.429.throttle-retry-after-seconds.json");
    if (this.scenario.retryAfterSeconds === undefined) delete body.retryAfterSeconds;
    else body.retryAfterSeconds = this.scenario.retryAfterSeconds;
    return { status: 429, body };
  }

  /** POST /catalog/v1/getItems. */
  getItems(headers: IncomingMessage["headers"], body: string): Answer {
    const auth = this.authorise(headers);
    if ("status" in auth) return auth;
    const marketplace = String(headers["x-marketplace"] ?? "");
    let request: { itemIds?: unknown; partnerTag?: unknown; resources?: unknown };
    const offers = creatorsFixture<Record<"inStock" | "outOfStock", unknown>>("offersV2.listings.derived.json");
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return { status: 400, body: { ...creatorsFixture("error.400.field-validation-failed.partnerTag.json"), fieldList: ["body"] } };
    }
    const ids = request.itemIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10 || ids.some((id) => typeof id !== "string")) {
      return { status: 400, body: { ...creatorsFixture("error.400.field-validation-failed.partnerTag.json"), fieldList: ["itemIds"] } };
    }
    if (typeof request.partnerTag !== "string" || request.partnerTag === "") {
      return { status: 400, body: creatorsFixture("error.400.field-validation-failed.partnerTag.json") };
    }
    // A credential serves its region's marketplaces only. Amazon does not document the answer to a
    // cross-region call; the fake says the credential is not linked to that marketplace.
    if (!REGION_MARKETPLACES[region(auth.version)]?.includes(marketplace)) {
      return { status: 400, body: creatorsFixture("error.400.invalid-associate.json") };
    }
    const tags = this.scenario.partnerTags?.[marketplace];
    if (tags && !tags.includes(request.partnerTag)) return { status: 400, body: creatorsFixture("error.400.invalid-partner-tag.json") };
    if (this.scenario.ineligible?.includes(marketplace))
      return { status: 403, body: creatorsFixture("error.403.associate-not-eligible.json") };

    const template = creatorsFixture<{ itemsResult: { items: Record<string, unknown>[] } }>("getItems.200.using-curl.json").itemsResult
      .items[0]!;
    const invalid = creatorsFixture<{ errors: { code: string; message: string }[] }>("getItems.200.partial-invalid.json").errors[0]!;
    const inaccessible = creatorsFixture<{ errors: { code: string; message: string }[] }>(
      "getItems.200.partial-not-accessible.reference.json",
    ).errors[0]!;
    const items: unknown[] = [];
    const errors: { code: string; message: string }[] = [];
    for (const id of ids as string[]) {
      const asin = id.toUpperCase();
      const found = /^[0-9A-Z]{10}$/.test(asin) ? this.product(marketplace, asin) : undefined;
      if (found === undefined) {
        errors.push({ code: invalid.code, message: invalid.message.replace("B08N5WRWNW", id) });
      } else if (found === "not-accessible") {
        errors.push({ code: inaccessible.code, message: inaccessible.message.replace("B01180YUXS", asin) });
      } else {
        const info = template.itemInfo as Record<string, unknown>;
        items.push({
          ...template,
          asin,
          detailPageURL: `https://${marketplace}/dp/${asin}?tag=${request.partnerTag}&linkCode=ogi&th=1&psc=1`,
          itemInfo: { ...info, features: null, title: { ...(info.title as object), displayValue: found.title } },
          // Only requested resources come back: the documented sample, which does not ask for offers, has null.
          offersV2: asked(request.resources, "offersV2.listings.availability")
            ? found.unavailable
              ? offers.outOfStock
              : offers.inStock
            : null,
          parentASIN: null,
        });
      }
    }
    // "No items found" is documented for requests whose items are all invalid.
    if (items.length === 0 && errors.every((e) => e.code === invalid.code)) {
      const notFound = creatorsFixture("getItems.404.all-invalid.json");
      return { status: 404, body: { ...notFound, resourceId: (ids as string[]).join(",") } };
    }
    return {
      status: 200,
      body: { ...(errors.length ? { errors } : {}), ...(items.length ? { [this.scenario.resultKey ?? "itemsResult"]: { items } } : {}) },
    };
  }
}
