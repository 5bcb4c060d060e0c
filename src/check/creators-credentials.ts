/**
 * Creators API credentials, read from environment variables only (never from
 * the config file, never printed). One credential per region:
 *
 *   AMAZON_CREATORS_CREDENTIAL_ID / _SECRET / _VERSION         any one region, the version says which
 *   AMAZON_CREATORS_CREDENTIAL_ID_NA / _SECRET_NA / _VERSION_NA  North America (version default 3.1)
 *   AMAZON_CREATORS_CREDENTIAL_ID_EU / _SECRET_EU / _VERSION_EU  Europe, India, Middle East (default 3.2)
 *   AMAZON_CREATORS_CREDENTIAL_ID_FE / _SECRET_FE / _VERSION_FE  Far East (default 3.3)
 *
 * Imported when the plugin starts (a missing credential stops the build before
 * any page renders), so it stays free of the network code.
 */
import { CheckRunError } from "./errors.js";
import { creatorsRegions, regionOfVersion, type CreatorsRegion } from "./creators-regions.js";

export const ENV_CREDENTIAL_ID = "AMAZON_CREATORS_CREDENTIAL_ID";
export const ENV_CREDENTIAL_SECRET = "AMAZON_CREATORS_CREDENTIAL_SECRET";
export const ENV_CREDENTIAL_VERSION = "AMAZON_CREATORS_CREDENTIAL_VERSION";

export const KNOWN_VERSIONS: readonly string[] = ["2.1", "2.2", "2.3", "3.1", "3.2", "3.3"];

export interface Credentials {
  id: string;
  secret: string;
  /** "3.1", "2.2", … */
  version: string;
  region: CreatorsRegion;
  /** The environment variables it came from, for messages ("AMAZON_CREATORS_CREDENTIAL_ID_EU"). */
  idVariable: string;
  secretVariable: string;
  versionVariable: string;
}

/** The variable names of a region's own credential: AMAZON_CREATORS_CREDENTIAL_ID_EU, …. */
export function regionVariables(region: CreatorsRegion): { id: string; secret: string; version: string } {
  const suffix = `_${region.id.toUpperCase()}`;
  return { id: ENV_CREDENTIAL_ID + suffix, secret: ENV_CREDENTIAL_SECRET + suffix, version: ENV_CREDENTIAL_VERSION + suffix };
}

function configuration(message: string): never {
  throw new CheckRunError(`[amazon-links] ${message}`, "configuration");
}

function readOne(
  env: Record<string, string | undefined>,
  names: { id: string; secret: string; version: string },
  fallbackVersion: string,
  region: CreatorsRegion | undefined,
): Credentials | undefined {
  const id = env[names.id]?.trim();
  const secret = env[names.secret]?.trim();
  if (!id && !secret) return undefined;
  if (!id || !secret) {
    configuration(
      `${id ? names.secret : names.id} is not set but ${id ? names.id : names.secret} is: a Creators API credential needs both (Associates Central → Creators API shows them).`,
    );
  }
  const version = env[names.version]?.trim() || fallbackVersion;
  const own = regionOfVersion(version);
  if (!KNOWN_VERSIONS.includes(version) || !own) {
    configuration(
      `unknown Creators API credential version "${version}" (${names.version}${region ? "" : " or check.creators.credentialVersion"}). ` +
        `Known versions: ${KNOWN_VERSIONS.join(", ")}; Associates Central shows yours next to the credential.`,
    );
  }
  if (region && own !== region) {
    configuration(
      `${names.version} is "${version}", a ${own.name} credential, but the _${region.id.toUpperCase()} variables are for ${region.name} (versions 2.${region.versionDigit} and 3.${region.versionDigit}).`,
    );
  }
  return { id, secret, version, region: own, idVariable: names.id, secretVariable: names.secret, versionVariable: names.version };
}

/**
 * Every credential the environment gives, by region id. Throws one CheckRunError ("configuration")
 * that says what to set when none is given or one is incomplete or contradictory.
 */
export function creatorsCredentialsFromEnv(
  env: Record<string, string | undefined>,
  configuredVersion?: string,
): Map<CreatorsRegion["id"], Credentials> {
  const found = new Map<CreatorsRegion["id"], Credentials>();
  const plain = readOne(
    env,
    { id: ENV_CREDENTIAL_ID, secret: ENV_CREDENTIAL_SECRET, version: ENV_CREDENTIAL_VERSION },
    configuredVersion ?? "3.1",
    undefined,
  );
  if (plain) found.set(plain.region.id, plain);
  for (const region of creatorsRegions) {
    const credential = readOne(env, regionVariables(region), `3.${region.versionDigit}`, region);
    if (!credential) continue;
    if (found.has(region.id)) {
      configuration(
        `two Creators API credentials for ${region.name}: ${ENV_CREDENTIAL_ID} (version ${plain!.version}) and ${credential.idVariable}. Keep one.`,
      );
    }
    found.set(region.id, credential);
  }
  if (found.size === 0) {
    configuration(
      `check.via is "creators" but no Creators API credential is set. Set ${ENV_CREDENTIAL_ID} and ${ENV_CREDENTIAL_SECRET} ` +
        `(and ${ENV_CREDENTIAL_VERSION}, e.g. 3.2 for Europe), or one per region with the suffixes _NA, _EU, _FE ` +
        `(${regionVariables(creatorsRegions[1]!).id}, …), in the environment (e.g. as CI secrets; never in the config file). Or use check.via: "page".`,
    );
  }
  return found;
}
