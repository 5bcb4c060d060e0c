/**
 * Findings → vfile messages, so vfile-reporter prints them like any unified
 * lint; with failOnError, one `file.fail` at the end that lists every error
 * with its place and rule, so `astro build` (which prints only the thrown
 * message) and a rejected `process()` show all of them, not only the first.
 */
import { isAbsolute, relative, sep } from "node:path";
import type { Point, Position } from "unist";
import type { VFile } from "vfile";
import type { Finding } from "../rules/rule-ids.js";

const MESSAGE_SOURCE = "amazon-links";

interface PlacedFinding {
  finding: Finding;
  place: Position | undefined;
}

export class FileFindings {
  private readonly placed: PlacedFinding[] = [];

  add(findings: readonly Finding[], place: Position | undefined): void {
    for (const finding of findings) this.placed.push({ finding, place });
  }

  /** Every finding as a message, in document order; then, when asked, fail on errors. */
  report(file: VFile, failOnError: boolean): void {
    const placed = this.placed.sort((a, b) => compare(a.place?.start, b.place?.start));
    for (const { finding, place } of placed) {
      const message = file.message(finding.message, { ...(place ? { place } : {}), ruleId: finding.rule, source: MESSAGE_SOURCE });
      // vfile-reporter prints "error" for fatal messages; they do not throw, so every finding is reported.
      message.fatal = finding.severity === "error";
    }
    const errors = placed.filter((p) => p.finding.severity === "error");
    const first = errors[0];
    if (!failOnError || !first) return;
    const name = displayPath(file);
    const lines = errors.map(({ finding, place }) => {
      const at = place ? `${place.start.line}:${place.start.column}` : "1:1";
      return `${name ? `${name}:` : ""}${at}  error  ${finding.message}  ${finding.rule}`;
    });
    const count = `${errors.length} Amazon link error${errors.length === 1 ? "" : "s"}`;
    file.fail(
      `${count}: the build fails so no untagged or broken link ships. Fix them, or set a rule's severity with the "rules" option (failOnError: false reports without failing).\n${lines.join("\n")}`,
      { ...(first.place ? { place: first.place } : {}), ruleId: first.finding.rule, source: MESSAGE_SOURCE },
    );
  }
}

function compare(a: Point | undefined, b: Point | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return a.line - b.line || a.column - b.column;
}

/** The file's path relative to its cwd, with forward slashes, as people type it. */
export function displayPath(file: VFile): string | undefined {
  if (!file.path) return undefined;
  // vfile paths are absolute, or relative to the file's cwd.
  const path = isAbsolute(file.path) ? relative(file.cwd, file.path) : file.path;
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * Where an offset inside a node's raw HTML is in the file. Exact when the
 * node's value is the file's text at its offsets (inline HTML, top-level
 * blocks); in a container (blockquote, list) later lines of the value lack
 * the container's prefix, so their column is found in the file's line.
 */
export function placeInValue(file: VFile, position: Position | undefined, value: string, from: number, to: number): Position | undefined {
  if (!position) return undefined;
  const source = typeof file.value === "string" ? file.value : undefined;
  const startOffset = position.start.offset;
  if (source !== undefined && startOffset !== undefined && source.startsWith(value, startOffset)) {
    const at = (offset: number): Point => ({
      ...pointIn(source, position.start, startOffset, startOffset + offset),
      offset: startOffset + offset,
    });
    return { start: at(from), end: at(to) };
  }
  const lines = source?.split("\n");
  const at = (offset: number): Point => {
    const point = pointIn(value, position.start, 0, offset);
    if (point.line === position.start.line || !lines) return point;
    const valueLineStart = offset - (point.column - 1);
    const valueLineEnd = value.indexOf("\n", valueLineStart);
    const valueLine = value.slice(valueLineStart, valueLineEnd === -1 ? undefined : valueLineEnd);
    const inFile = lines[point.line - 1]?.indexOf(valueLine) ?? -1;
    return inFile === -1 ? point : { line: point.line, column: inFile + point.column };
  };
  return { start: at(from), end: at(to) };
}

/** Line and column of `offset` in `text`, counting from `origin`, which is at `originOffset`. */
function pointIn(text: string, origin: Point, originOffset: number, offset: number): Point {
  let line = origin.line;
  let lineStart = -1;
  for (let nl = text.indexOf("\n", originOffset); nl !== -1 && nl < offset; nl = text.indexOf("\n", nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: lineStart === -1 ? origin.column + (offset - originOffset) : offset - lineStart + 1 };
}
