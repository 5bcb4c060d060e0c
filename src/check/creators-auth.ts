/**
 * OAuth2 client-credentials tokens for the Creators API. One token per run,
 * shared by concurrent batches, refreshed before expiry or once after a 401.
 * The credential id and secret go to the token endpoint and nowhere else:
 * never into messages, results or logs.
 */
import type { Credentials } from "./creators-credentials.js";
import { CheckRunError } from "./errors.js";
import { request, type HttpContext } from "./http.js";

/** Token endpoint per credential version (Cognito for 2.x, Login with Amazon for 3.x). */
const TOKEN_URLS: Record<string, string> = {
  "2.1": "https://creatorsapi.auth.us-east-1.amazoncognito.com/oauth2/token",
  "2.2": "https://creatorsapi.auth.eu-south-2.amazoncognito.com/oauth2/token",
  "2.3": "https://creatorsapi.auth.us-west-2.amazoncognito.com/oauth2/token",
  "3.1": "https://api.amazon.com/auth/o2/token",
  "3.2": "https://api.amazon.co.uk/auth/o2/token",
  "3.3": "https://api.amazon.co.jp/auth/o2/token",
};
const EXPIRY_MARGIN = 30_000;

export function authorizationHeader(credentials: Credentials, token: string): string {
  return credentials.version.startsWith("2.") ? `Bearer ${token}, Version ${credentials.version}` : `Bearer ${token}`;
}

export type TokenAnswer = { ok: true; token: string } | { ok: false; reason: string };

export class TokenSource {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<TokenAnswer> | undefined;
  /** Set once the endpoint rejected the credentials: never asked again this run. */
  private fatal: unknown;

  constructor(
    private readonly ctx: HttpContext,
    readonly credentials: Credentials,
  ) {}

  /** A valid token. Bad credentials throw a CheckRunError; an unreachable endpoint is a reason (unverified, not fatal). */
  get(options: { refresh?: boolean; rejected?: string } = {}): Promise<TokenAnswer> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (options.refresh && this.token?.value === options.rejected) this.token = undefined;
    if (this.token && this.token.expiresAt > this.ctx.clock.now()) return Promise.resolve({ ok: true, token: this.token.value });
    // Concurrent batches wait for one token request instead of each asking.
    this.pending ??= this.fetchToken()
      .catch((error: unknown) => {
        this.fatal = error;
        throw error;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async fetchToken(): Promise<TokenAnswer> {
    const { credentials } = this;
    const url = new URL(TOKEN_URLS[credentials.version]!);
    const lwa = !credentials.version.startsWith("2.");
    const fields = {
      grant_type: "client_credentials",
      client_id: credentials.id,
      client_secret: credentials.secret,
      scope: lwa ? "creatorsapi::default" : "creatorsapi/default",
    };
    const outcome = await request(this.ctx, {
      url,
      method: "POST",
      headers: lwa
        ? { "content-type": "application/json", accept: "application/json" }
        : { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: lwa ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      // A refused credential is a configuration error, not a host to leave alone.
      blocked: (response) => (response.status === 429 ? "throttled by the Creators API token endpoint (HTTP 429)" : undefined),
      maxBody: 100_000,
    });
    if (outcome.kind === "failure") return { ok: false, reason: `Creators API token endpoint: ${outcome.reason}` };
    const { status, body } = outcome.response;
    let json: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      json = JSON.parse(body) as typeof json;
    } catch {
      // Non-JSON answers are judged by status below.
    }
    if (status === 400 || status === 401 || status === 403) {
      // Only the OAuth error code is repeated: the body could echo what we sent.
      const code = typeof json.error === "string" && /^[a-z_]{1,40}$/i.test(json.error) ? ` (${json.error})` : "";
      throw new CheckRunError(
        `[amazon-links] the Creators API token endpoint rejected the credentials in ${credentials.idVariable} / ${credentials.secretVariable} ` +
          `(HTTP ${status}${code}, credential version ${credentials.version}, ${credentials.region.name}). Check them in Associates Central, ` +
          `or set ${credentials.versionVariable} to your credential's version.`,
        "credentials",
      );
    }
    if (status !== 200 || typeof json.access_token !== "string" || json.access_token === "") {
      return { ok: false, reason: `Creators API token endpoint answered HTTP ${status} without a token` };
    }
    const lifetime = typeof json.expires_in === "number" && json.expires_in > 0 ? json.expires_in * 1_000 : 3_600_000;
    this.token = {
      value: json.access_token,
      expiresAt: this.ctx.clock.now() + Math.max(lifetime - EXPIRY_MARGIN, lifetime / 2),
    };
    return { ok: true, token: json.access_token };
  }
}
