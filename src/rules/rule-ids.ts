/** The stable rule ids (reports, SARIF and the `rules` option name them) and their default severities. */
export type Severity = "error" | "warning" | "off";
export type RuleId = "untagged" | "dead-asin" | "invalid-asin" | "foreign-tag" | "unverified" | "unavailable" | "missing-disclosure";

export const defaultSeverities: Readonly<Record<RuleId, Severity>> = Object.freeze({
  untagged: "error",
  "dead-asin": "error",
  "invalid-asin": "error",
  "foreign-tag": "warning",
  unverified: "warning",
  unavailable: "warning",
  "missing-disclosure": "off",
});

export const ruleIds = Object.keys(defaultSeverities) as RuleId[];

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(defaultSeverities, value);
}

/** A problem with one link (or page). `severity` is never "off": such findings are dropped. */
export interface Finding {
  rule: RuleId;
  severity: Exclude<Severity, "off">;
  message: string;
}

/** The finding at the severity the user gave its rule; none when the rule is off. */
export function finding(options: { readonly severities: Readonly<Record<RuleId, Severity>> }, rule: RuleId, message: string): Finding[] {
  const severity = options.severities[rule];
  return severity === "off" ? [] : [{ rule, severity, message }];
}
