/**
 * JSON safe inside a `<script>` (data or inline code): `<`, `>` and `&` are
 * written as `\u003c` etc. (so `</script>`, `<!--` and `<script` cannot occur),
 * and U+2028/U+2029 as escapes. These characters only occur inside JSON
 * strings, where the escapes mean the same: `JSON.parse` and JavaScript give
 * back the same data. `serialized`: the JSON text, when already at hand.
 */
export function jsonForScript(value: unknown, serialized?: string): string {
  let json = serialized ?? JSON.stringify(value) ?? "null";
  // Plain replaceAll per character: far cheaper than one regex with a callback on MBs of JSON.
  if (json.includes("<")) json = json.replaceAll("<", "\\u003c");
  if (json.includes(">")) json = json.replaceAll(">", "\\u003e");
  if (json.includes("&")) json = json.replaceAll("&", "\\u0026");
  if (json.includes("\u2028")) json = json.replaceAll("\u2028", "\\u2028");
  if (json.includes("\u2029")) json = json.replaceAll("\u2029", "\\u2029");
  return json;
}
