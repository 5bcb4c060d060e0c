/** What every part's option validation shares: one error class and the object test. */

/** A bad option. The message starts with "[amazon-links]", names the option and says what to do. */
export class AmazonLinksOptionError extends Error {
  override name = "AmazonLinksOptionError";
}

/** An object literal's shape: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
