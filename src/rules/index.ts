export { decideLink, decideLinks } from "./decide-link.js";
export type { LinkDecision } from "./decide-link.js";
export { resolveOptions, AmazonLinksOptionError } from "./options.js";
export type { RuleOptions, ResolvedOptions } from "./options.js";
export { defaultSeverities, ruleIds, isRuleId } from "./rule-ids.js";
export type { Finding, RuleId, Severity } from "./rule-ids.js";
