/** Findings → vfile messages, so vfile-reporter prints them like any unified lint. */
import type { Node } from "unist";
import type { VFile } from "vfile";
import type { Finding } from "../rules/rule-ids.js";

export const MESSAGE_SOURCE = "amazon-links";

export function reportFindings(file: VFile, node: Node, findings: readonly Finding[]): void {
  for (const finding of findings) {
    const message = file.message(finding.message, {
      ...(node.position ? { place: node.position } : {}),
      ruleId: finding.rule,
      source: MESSAGE_SOURCE,
    });
    // Errors are fatal (vfile-reporter prints "error") but do not throw: every finding is reported.
    message.fatal = finding.severity === "error";
  }
}
