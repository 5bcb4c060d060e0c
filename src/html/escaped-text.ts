/**
 * HTML that ships inside another format (escaped or CDATA text in an XML feed,
 * a JSON string in a JSON Feed): decode it with a map back to the raw offsets,
 * so an edit made in the decoded HTML lands on exactly the raw bytes it
 * replaces, and encode the replacement for where it lands.
 */
import { decodeHTMLAttribute } from "entities";

export interface DecodedText {
  text: string;
  /** Raw offset (in the whole document) of decoded index i; i === text.length gives the raw end. */
  raw: Int32Array;
  /** Encode replacement text for the raw region that decoded index i came from. */
  encodeAt(i: number, text: string): string;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function escapeXmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * XML element content from `start` to `end`: entity-escaped text, CDATA
 * sections, or both. Decoded characters from CDATA are encoded back raw.
 */
export function decodeXmlContent(source: string, start: number, end: number): DecodedText {
  let text = "";
  const raw: number[] = [];
  const inCdata: boolean[] = [];
  let i = start;
  while (i < end) {
    if (source.startsWith("<![CDATA[", i)) {
      const close = source.indexOf("]]>", i + 9);
      const stop = close === -1 || close > end ? end : close;
      for (let j = i + 9; j < stop; j++) {
        text += source[j];
        raw.push(j);
        inCdata.push(true);
      }
      i = stop + 3;
      continue;
    }
    const ch = source[i] as string;
    if (ch === "&") {
      const semi = source.indexOf(";", i);
      if (semi !== -1 && semi - i <= 10) {
        const name = source.slice(i + 1, semi);
        let decoded: string | undefined = XML_ENTITIES[name];
        if (decoded === undefined && name.startsWith("#")) {
          const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
          if (Number.isFinite(code) && code >= 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
        }
        if (decoded !== undefined) {
          for (const unit of decoded.split("")) {
            text += unit;
            raw.push(i);
            inCdata.push(false);
          }
          i = semi + 1;
          continue;
        }
      }
    }
    text += ch;
    raw.push(i);
    inCdata.push(false);
    i++;
  }
  raw.push(end);
  return {
    text,
    raw: Int32Array.from(raw),
    encodeAt: (index, replacement) => ((inCdata[index] ?? inCdata[index - 1]) ? replacement : escapeXmlText(replacement)),
  };
}

/**
 * An HTML attribute value as written between `start` and `end` (character references decoded, as the
 * browser reads it), for markup held in an attribute (`<iframe srcdoc>`). Replacements are escaped for
 * the value's quotes, as the standard's serializer escapes attribute values.
 */
export function decodeAttributeText(source: string, start: number, end: number, quote: '"' | "'" | ""): DecodedText {
  let text = "";
  const raw: number[] = [];
  const reference = /&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)/y;
  let i = start;
  while (i < end) {
    if (source.charCodeAt(i) === 38 /* & */) {
      reference.lastIndex = i;
      const match = reference.exec(source);
      if (match && i + match[0].length <= end) {
        // Decoded with the character after it, which decides a reference without ";" in an attribute.
        const length = match[0].length;
        const next = i + length < end ? source[i + length]! : "";
        const decoded = decodeHTMLAttribute(match[0] + next);
        const unit = next && decoded.endsWith(next) ? decoded.slice(0, decoded.length - next.length) : decoded;
        for (let k = 0; k < unit.length; k++) raw.push(i);
        text += unit;
        i += length;
        continue;
      }
    }
    text += source[i];
    raw.push(i);
    i++;
  }
  raw.push(end);
  const escapeValue = (value: string) => {
    const escaped = value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    if (quote === '"') return escaped.replace(/"/g, "&quot;");
    if (quote === "'") return escaped.replace(/'/g, "&#39;");
    // Unquoted: whatever would end the value or trip the tokenizer, as a reference.
    return escaped.replace(/[\s"'=`]/g, (c) => `&#${c.charCodeAt(0)};`);
  };
  return { text, raw: Int32Array.from(raw), encodeAt: (_i, replacement) => escapeValue(replacement) };
}

/** A JSON string's contents (between the quotes) from `start` to `end`. */
export function decodeJsonString(source: string, start: number, end: number): DecodedText {
  let text = "";
  const raw: number[] = [];
  let i = start;
  while (i < end) {
    const ch = source[i] as string;
    if (ch !== "\\") {
      text += ch;
      raw.push(i);
      i++;
      continue;
    }
    const next = source[i + 1];
    if (next === "u") {
      text += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
      raw.push(i);
      i += 6;
      continue;
    }
    const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
    text += simple[next as string] ?? (next as string);
    raw.push(i);
    i += 2;
  }
  raw.push(end);
  return { text, raw: Int32Array.from(raw), encodeAt: (_i, replacement) => JSON.stringify(replacement).slice(1, -1) };
}
