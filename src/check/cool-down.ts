/**
 * Blocked is remembered: a host that answered this build with a robot wall
 * (captcha, WAF challenge), 403 or 429, after every retry, is not asked again
 * for `check.coolDown` (default 1 hour), in this build, in later builds and in
 * `--serve` rebuilds. Asking a host that just blocked us costs the whole time
 * budget and earns nothing. Kept beside the lockfile cache (never in the
 * committed lockfile), keyed by the URL actually requested, so a proxy or a
 * test server is remembered apart from Amazon itself.
 */
import { formatDuration } from "./duration.js";
import { ExpiringFile } from "./expiring-file.js";
import type { HttpResponse } from "./http.js";

interface Block {
  /** What the host answered ("robot check (captcha, HTTP 503)"). */
  reason: string;
  /** Epoch ms of the block. */
  since: number;
}

function isBlock(value: unknown): value is Block {
  const block = value as Partial<Block> | null;
  return typeof block?.reason === "string" && typeof block.since === "number";
}

/** Why an answer that came back after every retry counts as a block; undefined when it does not. */
export function blockReason(response: HttpResponse, wall: boolean): string | undefined {
  const { status } = response;
  if (status === 404 || status === 410) return undefined;
  if (wall) return `robot check (HTTP ${status})`;
  if (status === 202) return "AWS WAF challenge (HTTP 202)";
  if (status === 403) return "blocked (HTTP 403)";
  if (status === 429) return "throttled (HTTP 429)";
  return undefined;
}

/**
 * Blocks remembered for the life of a process, kept by the caller across checkers (the plugin keeps one
 * for every rebuild of an `eleventy --serve`), so a project without node_modules/ (no cache directory)
 * is not asked again on each rebuild either.
 */
export type BlockMemory = Map<string, { block: Block; expires: number }>;

export interface Cooling {
  reason: string;
  since: number;
  until: number;
}

export class CoolDown {
  private readonly file: ExpiringFile<Block>;
  private loading: Promise<void> | undefined;

  constructor(
    cacheDir: string | undefined,
    /** Milliseconds; 0 turns remembering off. */
    private readonly period: number,
    /** The URL a request for this host goes to (after check.endpoints). */
    private readonly route: (url: URL) => URL,
    private readonly memory?: BlockMemory,
  ) {
    this.file = new ExpiringFile(period > 0 ? cacheDir : undefined, "blocked-hosts.json", isBlock);
  }

  /** Read what earlier builds learned (once). */
  load(): Promise<void> {
    if (this.period <= 0) return Promise.resolve();
    this.loading ??= this.file.load();
    return this.loading;
  }

  private key(host: string): string {
    const routed = this.route(new URL(`https://${host}/`));
    return `${routed.origin}${routed.pathname.replace(/\/+$/, "")}`;
  }

  /** The block a host is still cooling down from, if any. */
  cooling(host: string, now: number): Cooling | undefined {
    if (this.period <= 0) return undefined;
    const key = this.key(host);
    const block = this.file.get(key, now);
    if (block) return { ...block, until: now + this.file.remaining(key, now) };
    const remembered = this.memory?.get(key);
    return remembered && remembered.expires > now ? { ...remembered.block, until: remembered.expires } : undefined;
  }

  block(host: string, reason: string, now: number): void {
    if (this.period <= 0) return;
    const key = this.key(host);
    // The first block starts the period; more blocks in it do not stretch it.
    if (this.cooling(host, now)) return;
    const block = { reason, since: now };
    this.file.set(key, block, now + this.period);
    this.memory?.set(key, { block, expires: now + this.period });
  }

  save(now: number): Promise<void> {
    return this.file.save(now);
  }
}

/** "www.amazon.de blocked this tool 12 min ago (robot check (HTTP 503)); not asked again for 48 min (check.coolDown)". */
export function describeCooling(host: string, cooling: Cooling, now: number): string {
  return (
    `not asked: ${host} blocked this tool ${formatDuration(now - cooling.since)} ago (${cooling.reason}); ` +
    `it is left alone for ${formatDuration(cooling.until - now)} more (check.coolDown)`
  );
}
