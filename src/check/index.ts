/** ASIN checks and short-link expansion: the only part of the plugin that touches the network. */
export { checkAsins, createChecker } from "./checker.js";
export type { Checker, CheckerRuntime, CheckerStats, CheckCallOptions } from "./checker.js";
export { resolveCheckOptions, defaultUserAgent } from "./options.js";
export { checkSettingsAtStart } from "./settings-at-start.js";
export type {
  CheckOptions,
  CheckVia,
  CreatorsOptions,
  Duration,
  EndpointFunction,
  EndpointMap,
  HostLimitOptions,
  ResolvedCheckOptions,
  TagsByStore,
} from "./options.js";
export type { CheckItem, CheckProgress, CheckResult, CheckStatus, ShortLinkResult } from "./types.js";
export { CheckRunError, LockfileError } from "./errors.js";
export { ENV_CREDENTIAL_ID, ENV_CREDENTIAL_SECRET, ENV_CREDENTIAL_VERSION, creatorsCredentialsFromEnv } from "./creators-credentials.js";
export { creatorsRegions } from "./creators-regions.js";
export { lockCacheDir } from "./lock-cache.js";
export { LOCKFILE_VERSION, readLockfile, serializeLock, entryKey } from "./lockfile.js";
export type { LockData, LockEntry, ShortLinkEntry } from "./lockfile.js";
export { parseDuration, formatDuration } from "./duration.js";
