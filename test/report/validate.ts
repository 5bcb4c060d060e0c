/** The report JSON Schema, compiled with ajv (draft 2020-12, strict mode). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

export const schemaPath = fileURLToPath(new URL("../../schema/report.schema.json", import.meta.url));
export const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, any>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
export const validateReport: ValidateFunction = ajv.compile(schema);

/**
 * The same schema with every field that `src/results.ts` declares
 * required made required (the published schema only requires DESIGN.md's
 * minimum): a real report from our own writer must pass this one too.
 */
function completeSchema(): Record<string, any> {
  const s = structuredClone(schema);
  s.$id = String(s.$id).replace(/\.json$/, ".complete.json");
  s.required = ["version", "generator", "generatedAt", "summary", "pages", "links"];
  s.$defs.summary.required = Object.keys(s.$defs.summary.properties);
  const optionalOnLink = new Set(["asin", "title", "liveIn", "optedOut", "checkedAt", "checkedVia"]);
  s.$defs.link.required = Object.keys(s.$defs.link.properties).filter((k) => !optionalOnLink.has(k));
  return s;
}
export const validateCompleteReport: ValidateFunction = new Ajv2020({ strict: true, allErrors: true }).compile(completeSchema());

export function errorsText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`).join("\n");
}
