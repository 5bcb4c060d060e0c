/**
 * Text from pages, URLs, file names and Amazon's answers made safe to print:
 * on a terminal, in a CI log, in GitHub annotations and in SARIF. Terminal
 * escape sequences (erase line, cursor up, hyperlinks) and other control and
 * bidirectional-format characters are removed, line breaks become spaces, and
 * a value cannot begin a GitHub Actions workflow command (a log line starting
 * with `::` or `##[`, such as `::error::` or `::stop-commands::`).
 */

// CSI (ESC [ or the 8-bit CSI) with its parameters; OSC (ESC ] or 8-bit OSC) up to its terminator; other ESC pairs.
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
const LINE_BREAK = /\r\n|[\n\r\t\v\f\u0085\u2028\u2029]/g;
// C0 and C1 controls, DEL, and the bidirectional overrides and isolates ("Trojan Source").
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// What the Actions runner reads as a command at the start of a line (after trimming whitespace).
const COMMAND_START = /^(\s*)(:(?=:)|#(?=#\[))/;

/** One line of printable text; `%3A`/`%23` for the first character of what would start a workflow command. */
export function sanitizeText(value: string): string {
  const text = value.replace(ESCAPE_SEQUENCE, "").replace(LINE_BREAK, " ").replace(CONTROL, "");
  return text.replace(COMMAND_START, (_all, space: string, first: string) => `${space}${first === ":" ? "%3A" : "%23"}`);
}
