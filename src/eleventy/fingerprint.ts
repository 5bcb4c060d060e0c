/**
 * A digest of values that decide what the plugin makes of a page (options, the plugin's own version),
 * for the page cache's key. Two values with the same digest were written the same way: insertion
 * order is kept (it can matter, as in tags, whose first is written), functions count by their source
 * text. A value it cannot spell the same way twice (a cycle) makes a digest that matches nothing.
 */
import { createHash, randomBytes } from "node:crypto";

/** Hex SHA-256 of a text or bytes: page, source and key digests. */
export function digest(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function fingerprint(value: unknown): string {
  return digest(spell(value, new Set()));
}

function spell(value: unknown, open: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return `${typeof value}:${String(value)}`;
    case "symbol":
      return `symbol:${value.description ?? ""}`;
    case "function":
      return `function:${JSON.stringify(Function.prototype.toString.call(value))}`;
  }
  const object = value as object;
  // A cycle: nothing to spell it by, so this digest must never equal another (a miss, every time).
  if (open.has(object)) return `cycle:${randomBytes(16).toString("hex")}`;
  open.add(object);
  try {
    if (value instanceof RegExp) return `regexp:${value.toString()}`;
    if (value instanceof Date) return `date:${value.getTime()}`;
    if (value instanceof URL) return `url:${value.href}`;
    if (value instanceof Map) return `map{${[...value].map(([k, v]) => `${spell(k, open)}=>${spell(v, open)}`).join(",")}}`;
    if (value instanceof Set) return `set{${[...value].map((v) => spell(v, open)).join(",")}}`;
    if (Array.isArray(value)) return `[${value.map((v) => spell(v, open)).join(",")}]`;
    const entries = Object.entries(object).map(([k, v]) => `${JSON.stringify(k)}:${spell(v, open)}`);
    return `${object.constructor?.name ?? "object"}{${entries.join(",")}}`;
  } finally {
    open.delete(object);
  }
}
