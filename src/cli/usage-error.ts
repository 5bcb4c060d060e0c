/** A problem with how the CLI was called or configured: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
