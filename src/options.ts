/**
 * The plugin's options object: one shape for the Eleventy plugin, the unified
 * plugins and the CLI's config file. Each part resolves its own slice.
 */
import type { CheckOptions } from "./check/options.js";
import type { LocalizeOptions } from "./localize/options.js";
import type { RuleOptions } from "./rules/options.js";

export interface AmazonLinksOptions extends RuleOptions {
  /** Product checks and the lockfile (see README "Checking products"); `false` switches checking off. */
  check?: CheckOptions | false;
  /** The localization script (see README); `false` switches it off. */
  localize?: LocalizeOptions | false;
}
