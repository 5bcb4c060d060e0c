/**
 * One polite HTTP exchange with retries: per-host rate limit, per-request
 * timeout, exponential backoff with jitter, Retry-After honoured (capped), all
 * inside the run's time budget. Redirects are never followed here: callers
 * decide where a Location may lead.
 */
import type { Budget, Clock } from "./clock.js";
import { blockReason, describeCooling, type CoolDown } from "./cool-down.js";
import { formatDuration } from "./duration.js";
import type { ResolvedCheckOptions } from "./options.js";
import { DeadlineError, UnreachableError, type HostLimiter } from "./rate-limit.js";

export interface HttpContext {
  readonly options: ResolvedCheckOptions;
  readonly fetch: typeof globalThis.fetch;
  readonly limiter: HostLimiter;
  readonly budget: Budget;
  readonly clock: Clock;
  /** Random number in [0, 1) for jitter. */
  readonly random: () => number;
  /** Called once per request actually sent (for stats). */
  readonly onRequest?: (host: string) => void;
  /**
   * Hosts that could not be reached at all in this run (DNS failure, refused),
   * with the reason: later requests to them fail at once instead of waiting
   * for their rate-limit slot, so an offline build is not slowed down.
   */
  readonly unreachable?: Map<string, string>;
  /** Hosts that blocked this tool lately: not asked until their cool-down ends (see cool-down.ts). */
  readonly coolDown?: CoolDown;
}

export interface HttpRequest {
  /** The Amazon URL meant; routed through `check.endpoints` here. Also the rate-limit key (its host). */
  url: URL;
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** A response that is worth asking again (e.g. a captcha in a 200). 408, 429 and 5xx always are. */
  transient?: (response: HttpResponse) => boolean;
  /** Max characters of body kept (default 2 MB). */
  maxBody?: number;
  /** How long (ms) the answer asks us to wait when it says so in its body; the Retry-After header otherwise. */
  retryAfter?: (response: HttpResponse) => number | undefined;
  /** Whether a final answer means the host blocks us (default: a robot wall, 202, 403, 429); undefined when not. */
  blocked?: (response: HttpResponse) => string | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The URL actually requested (after routing). */
  requested: URL;
}

export type HttpOutcome =
  | { kind: "response"; response: HttpResponse; attempts: number; note?: string }
  | { kind: "failure"; reason: string; attempts: number; budget: boolean };

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeError(error: unknown): { reason: string; transient: boolean } {
  const err = error as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.cause?.name === "TimeoutError") return { reason: "timed out", transient: true };
  const code = err?.cause?.code ?? err?.code;
  if (code && RESET_CODES.has(code)) return { reason: "connection reset", transient: true };
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return { reason: "timed out", transient: true };
  if (code === "ECONNREFUSED") return { reason: "connection refused (offline or wrong endpoint?)", transient: false };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { reason: "DNS lookup failed (offline?)", transient: false };
  return { reason: `network error (${code ?? err?.cause?.message ?? String(error)})`, transient: true };
}

async function readBody(response: Response, max: number): Promise<string> {
  if (!response.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length >= max) {
      // Enough to classify the page; stop downloading the rest.
      await response.body.cancel().catch(() => undefined);
      return text.slice(0, max);
    }
  }
  return text + decoder.decode();
}

/** Send one request, retrying what is transient, never past the budget. */
export async function request(ctx: HttpContext, req: HttpRequest): Promise<HttpOutcome> {
  const { options, budget, clock, limiter } = ctx;
  const host = req.url.hostname.toLowerCase();
  const target = options.route(req.url);
  const down = ctx.unreachable?.get(host);
  if (down) return { kind: "failure", reason: down, attempts: 0, budget: false };
  const cooling = ctx.coolDown?.cooling(host, clock.now());
  if (cooling) return { kind: "failure", reason: describeCooling(host, cooling, clock.now()), attempts: 0, budget: false };
  // A final answer that blocks us starts the host's cool-down.
  const remember = (response: HttpResponse): void => {
    const reason = req.blocked ? req.blocked(response) : blockReason(response, req.transient?.(response) ?? false);
    if (reason) ctx.coolDown?.block(host, reason, clock.now());
  };
  const deadline = budget.start();
  let attempts = 0;

  for (;;) {
    if (budget.exhausted()) return { kind: "failure", reason: "time budget exhausted", attempts, budget: true };
    let release: () => void;
    try {
      release = await limiter.acquire(host, deadline);
    } catch (error) {
      if (error instanceof DeadlineError) return { kind: "failure", reason: "time budget exhausted", attempts, budget: true };
      if (error instanceof UnreachableError) return { kind: "failure", reason: error.message, attempts, budget: false };
      throw error;
    }
    // Another request may have found the host unreachable while this one waited for its slot.
    const downNow = ctx.unreachable?.get(host);
    if (downNow) {
      release();
      return { kind: "failure", reason: downNow, attempts, budget: false };
    }
    const blockedNow = ctx.coolDown?.cooling(host, clock.now());
    if (blockedNow) {
      release();
      return { kind: "failure", reason: describeCooling(host, blockedNow, clock.now()), attempts, budget: false };
    }
    attempts++;
    const timeout = Math.min(options.timeout, budget.remaining());
    let response: HttpResponse | undefined;
    let failure: { reason: string; transient: boolean } | undefined;
    // The timeout runs on the run's clock, like every other wait, so tests can move it.
    const abort = new AbortController();
    const cancelTimeout = clock.timer(Math.max(1, timeout), () => abort.abort(new DOMException("request timed out", "TimeoutError")));
    try {
      ctx.onRequest?.(host);
      const res = await ctx.fetch(target, {
        method: req.method ?? "GET",
        redirect: "manual",
        headers: { "user-agent": options.userAgent, ...req.headers },
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: abort.signal,
      });
      const body = req.method === "HEAD" ? "" : await readBody(res, req.maxBody ?? 2_000_000);
      response = { status: res.status, headers: res.headers, body, requested: target };
    } catch (error) {
      failure = describeError(error);
      if (failure.reason === "timed out") {
        failure.reason = budget.exhausted() ? "time budget exhausted" : `timed out after ${formatDuration(timeout)}`;
      }
    } finally {
      cancelTimeout();
      release();
    }

    if (failure && budget.exhausted()) return { kind: "failure", reason: "time budget exhausted", attempts, budget: true };
    const transient = failure ? failure.transient : TRANSIENT_STATUS.has(response!.status) || (req.transient?.(response!) ?? false);
    if (failure && !failure.transient && /^(DNS lookup failed|connection refused)/.test(failure.reason)) {
      if (ctx.unreachable) {
        ctx.unreachable.set(host, failure.reason);
        limiter.failAll(host, failure.reason);
      }
    }
    if (!transient || attempts > options.retries) {
      if (response) remember(response);
      return failure
        ? { kind: "failure", reason: failure.reason, attempts, budget: false }
        : { kind: "response", response: response!, attempts };
    }

    // Wait before the next attempt: what Amazon asked for (capped), else exponential backoff with jitter.
    const asked = response ? (req.retryAfter?.(response) ?? parseRetryAfter(response.headers.get("retry-after"), clock.now())) : undefined;
    const wait =
      asked !== undefined ? Math.min(asked, options.maxRetryAfter) : options.backoff * 2 ** (attempts - 1) + ctx.random() * options.backoff;
    if (asked !== undefined) limiter.pause(host, clock.now() + wait);
    if (wait >= budget.remaining()) {
      // Waiting would outlive the budget: give the last answer now instead of hanging.
      const note = `time budget exhausted before retry (wait ${formatDuration(wait)})`;
      if (response) remember(response);
      return failure
        ? { kind: "failure", reason: `${failure.reason}; ${note}`, attempts, budget: true }
        : { kind: "response", response: response!, attempts, note };
    }
    await clock.sleep(wait, deadline);
  }
}
