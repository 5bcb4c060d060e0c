/**
 * Reading getItems answers the way Amazon documents them: a 200 with
 * `itemsResult` (the GetItems reference spells it `itemResults`) and per-item
 * `errors[]`, or an error body `{ type, reason, message, fieldList }` (404 with
 * `ResourceNotFoundException` when no item exists). Pure: text in, outcome out.
 * Amazon's words are kept as plain text, one line, bounded, never markup.
 */
import { unavailableListing } from "./creators-availability.js";
import type { Verdict } from "./types.js";

/** Amazon's error body, as far as it could be read. */
export interface ApiError {
  /** "ValidationException", "AccessDeniedException", … (`__type` "com.amazon.creators#X" read as "X"). */
  type: string;
  reason: string;
  message: string;
  /** Field names (the SDKs model items as `{ name, message }`, the docs as strings). */
  fields: string[];
  /** Seconds to wait, from a 429 body. */
  retryAfterSeconds?: number;
}

export type GetItemsOutcome =
  /** Verdicts per ASIN (live, dead, or unverified with a reason); `notAccessible` ASINs carry Amazon's message. */
  | { kind: "verdicts"; verdicts: Map<string, Verdict>; notAccessible: Map<string, string> }
  /** The request itself is wrong for this store (partner tag, associate, fields): one error for the run. */
  | { kind: "configuration"; error: ApiError }
  /** 403 AssociateNotEligible: the account lacks the qualifying sales. */
  | { kind: "ineligible"; error: ApiError }
  /** 401: the token was refused. */
  | { kind: "unauthorized"; error: ApiError | undefined }
  /** Nothing can be said about these ASINs. */
  | { kind: "unverified"; reason: string };

const DEAD_CODES = new Set(["InvalidParameterValue", "InvalidItemId", "ItemNotFound"]);
const CONFIGURATION_REASONS = new Set(["InvalidPartnerTag", "InvalidAssociate", "FieldValidationFailed"]);

/** Amazon's text as one plain line of at most 300 characters. */
export function plain(value: unknown): string {
  if (typeof value !== "string") return "";
  // eslint-disable-next-line no-control-regex
  const line = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The error body, when the text is one (a JSON object with a type or a reason). */
export function readApiError(text: string): ApiError | undefined {
  const json = parse(text);
  if (!isObject(json)) return undefined;
  const rawType = typeof json.type === "string" ? json.type : typeof json.__type === "string" ? json.__type : "";
  const type = plain(rawType.slice(rawType.lastIndexOf("#") + 1));
  const reason = plain(json.reason);
  if (!type && !reason) return undefined;
  const fields = Array.isArray(json.fieldList) ? json.fieldList.map((f) => plain(isObject(f) ? f.name : f)).filter((f) => f !== "") : [];
  const seconds = json.retryAfterSeconds;
  return {
    type,
    reason,
    message: plain(json.message),
    fields,
    ...(typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 ? { retryAfterSeconds: seconds } : {}),
  };
}

/** "ThrottleException: The request was denied…" for messages. */
export function describeApiError(error: ApiError | undefined): string {
  if (!error) return "";
  const name = error.reason || error.type;
  const fields = error.fields.length ? ` (fields: ${error.fields.join(", ")})` : "";
  return `${name}${error.message ? `: ${error.message}` : ""}${fields}`;
}

/** The ASINs of the request that a per-item error's message names. */
function named(message: string, asins: readonly string[]): string[] {
  const upper = message.toUpperCase();
  return asins.filter((asin) => upper.includes(asin));
}

function readItems(json: Record<string, unknown>): unknown[] {
  // Every page and both official SDKs say itemsResult; the GetItems reference sample says itemResults.
  const result = isObject(json.itemsResult) ? json.itemsResult : isObject(json.itemResults) ? json.itemResults : undefined;
  return result && Array.isArray(result.items) ? result.items : [];
}

function titleOf(item: Record<string, unknown>): string | undefined {
  const info = item.itemInfo;
  const title = isObject(info) && isObject(info.title) ? info.title.displayValue : undefined;
  const text = plain(title);
  return text || undefined;
}

/** A getItems answer for `asins` in the store at `host`. */
export function readGetItems(status: number, text: string, asins: readonly string[], host: string): GetItemsOutcome {
  const error = readApiError(text);
  if (status === 200) {
    const json = parse(text);
    if (!isObject(json)) return { kind: "unverified", reason: "the Creators API answered HTTP 200 with a body that is not JSON" };
    const verdicts = new Map<string, Verdict>();
    const notAccessible = new Map<string, string>();
    for (const item of readItems(json)) {
      if (!isObject(item) || typeof item.asin !== "string") continue;
      const asin = item.asin.toUpperCase();
      if (!asins.includes(asin)) continue;
      const title = titleOf(item);
      const verdict: Verdict = title ? { status: "live", title } : { status: "live" };
      const unavailable = unavailableListing(item);
      if (unavailable) {
        const message = plain(unavailable.message).slice(0, 120);
        verdict.available = false;
        verdict.reason = `the Creators API says ${plain(unavailable.type)}${message ? ` \u201c${message}\u201d` : ""}`;
      }
      verdicts.set(asin, verdict);
    }
    for (const entry of Array.isArray(json.errors) ? json.errors : []) {
      if (!isObject(entry)) continue;
      const code = plain(entry.code);
      const message = plain(entry.message);
      for (const asin of named(message, asins)) {
        if (verdicts.has(asin) || notAccessible.has(asin)) continue;
        if (DEAD_CODES.has(code)) verdicts.set(asin, { status: "dead", reason: `not found in ${host} (Creators API: ${code})` });
        else if (code === "ItemNotAccessible") notAccessible.set(asin, message || code);
        else verdicts.set(asin, { status: "unverified", reason: `Creators API: ${code}${message ? `: ${message}` : ""}` });
      }
    }
    for (const asin of asins) {
      if (!verdicts.has(asin) && !notAccessible.has(asin)) {
        verdicts.set(asin, { status: "unverified", reason: "missing from the Creators API answer without an error" });
      }
    }
    return { kind: "verdicts", verdicts, notAccessible };
  }
  if (status === 404) {
    // Only the API's own "no items found" proves the products gone; a proxy's or a CDN's 404 proves nothing.
    if (error?.type === "ResourceNotFoundException") {
      const dead: Verdict = { status: "dead", reason: `not found in ${host} (Creators API: ResourceNotFoundException, no items found)` };
      return { kind: "verdicts", verdicts: new Map(asins.map((asin) => [asin, dead])), notAccessible: new Map() };
    }
    return {
      kind: "unverified",
      reason: "the Creators API endpoint answered HTTP 404 without Amazon's ResourceNotFoundException (a proxy or wrong endpoint?)",
    };
  }
  if (status === 400 && error && CONFIGURATION_REASONS.has(error.reason)) return { kind: "configuration", error };
  if (status === 403 && error?.reason === "AssociateNotEligible") return { kind: "ineligible", error };
  if (status === 401) return { kind: "unauthorized", error };
  if (status === 429)
    return { kind: "unverified", reason: `throttled by the Creators API (HTTP 429${error ? `, ${describeApiError(error)}` : ""})` };
  return { kind: "unverified", reason: `Creators API answered HTTP ${status}${error ? ` (${describeApiError(error)})` : ""}` };
}
