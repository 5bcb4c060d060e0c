/** The `check` option as a build or a CLI run starts with it, checked once for both. */
import { creatorsCredentialsFromEnv } from "./creators-credentials.js";
import { resolveCheckOptions, type ResolvedCheckOptions } from "./options.js";

/**
 * Validated, with the Creators API credentials present when `via: "creators"` asks for them: a bad value
 * or a missing credential stops the run before any page is read.
 */
export function checkSettingsAtStart(user: unknown, configDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedCheckOptions {
  const resolved = resolveCheckOptions(user, { configDir });
  if (resolved.via === "creators") creatorsCredentialsFromEnv(env, resolved.creators.credentialVersion);
  return resolved;
}
