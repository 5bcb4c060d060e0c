/** Errors that stop a build. Messages start with "[amazon-links]" and say what to do. */

/** The lockfile cannot be used (corrupt, wrong version, unreadable). Never silently replaced. */
export class LockfileError extends Error {
  override name = "AmazonLinksLockfileError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * A problem that concerns the whole run, not one ASIN (bad Creators API
 * credentials, missing environment variables). The checker keeps the first
 * one and rejects every later call with the SAME instance, so callers can
 * report it once.
 */
export class CheckRunError extends Error {
  override name = "AmazonLinksCheckError";
  constructor(
    message: string,
    readonly code: "credentials" | "configuration",
  ) {
    super(message);
  }
}
