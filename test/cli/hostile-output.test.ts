/**
 * Issue 18, fault 8: values from pages, URLs and file names reached the console and the GitHub
 * annotations with their line breaks and terminal escape sequences, so a hostile tag or file name
 * could print a line starting with `::error` or `::stop-commands::` (a workflow command to the
 * Actions runner) or erase lines on a terminal. `amazon-links check` over such a site, as a child
 * process: every line it prints that the runner would read as a command is one of ours, and nothing
 * carries a control character.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizeText } from "../../src/report/sanitize.js";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const bin = resolve("dist/cli/main.js");
// What the Actions runner reads as a command: a line that starts, after whitespace, with "::" or "##[".
const RUNNER_COMMAND = /^\s*(?:::|##\[)/;
// Our own annotations: ::error or ::warning, escaped properties (no ":" in them), then the message.
const OUR_ANNOTATION = /^::(?:error|warning) (?:[a-z]+=[^,:\r\n]*,)*title=amazon-links \([a-z-]+\)::[^\r\n]*$/;
// C0 and C1 controls (tab and line feed excepted: they separate our own columns and lines), DEL, bidi overrides.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("hostile text in the output", () => {
  it("file names and tags with line breaks, escape sequences and workflow commands print as plain text", async () => {
    const dir = await tempDir("amazon-links-hostile-");
    const site = join(dir, "public");
    const nested = join(site, "a\n::error::from-a-folder-name");
    await mkdir(nested, { recursive: true });
    // A tag with %0A (a line break once decoded) and an escape sequence that erases the line.
    await writeFile(
      join(site, "::stop-commands::pwned\u001b[1A\u001b[2K.html"),
      '<p><a href="https://www.amazon.com/dp/B000000001?tag=x%0A::stop-commands::tok%1B%5B2K%0D::error::cr">x</a></p>\n',
    );
    await writeFile(join(nested, "index.html"), '<p><a href="https://www.amazon.com/dp/B000000001?tag=%E2%80%AEx-20">y</a></p>\n');
    const sarif = join(dir, "report.sarif");
    const { code, stdout, stderr } = await runNode(
      bin,
      ["check", "public", "--check", "off", "--tag", "us=ours-20", "--format", "github", "--sarif", sarif],
      dir,
    );
    expect(code).toBe(1);
    const lines = `${stdout}${stderr}`.split("\n");
    expect(lines.filter((line) => RUNNER_COMMAND.test(line) && !OUR_ANNOTATION.test(line))).toEqual([]);
    expect(lines.filter((line) => OUR_ANNOTATION.test(line))).toHaveLength(2);
    expect(lines.filter((line) => CONTROL.test(line))).toEqual([]);
    // The findings are still there, named.
    expect(stdout).toContain("stop-commands");
    expect(stdout).toMatch(/2 errors/);
    const log = JSON.parse(await readFile(sarif, "utf8")) as {
      runs: Array<{ results: Array<{ message: { text: string }; properties: Record<string, string> }> }>;
    };
    const texts = log.runs[0]!.results.flatMap((r) => [
      r.message.text,
      ...Object.values(r.properties).filter((v): v is string => typeof v === "string"),
    ]);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((text) => CONTROL.test(text) || /[\r\n]/.test(text))).toEqual([]);
  });
});

describe("sanitizeText", () => {
  const hostile = fc.oneof(
    fc.string({ unit: "binary" }),
    fc
      .array(
        fc.constantFrom(
          "::",
          "##[",
          "\u001b[",
          "\u001b]8;;",
          "\u009b",
          "\u0007",
          "\r",
          "\n",
          " ",
          "error::",
          "2K",
          "\u202e",
          "\u001b\\",
          "a",
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join("")),
  );

  it("leaves no control character, no line break, and nothing that starts a workflow command", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const out = sanitizeText(value);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        expect(out).not.toMatch(RUNNER_COMMAND);
      }),
      { numRuns: 2_000 },
    );
  });

  it("leaves ordinary text as it is", () => {
    const ordinary = fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_./?=&%:#[]()\"'äöü€中") }).filter((s) => !RUNNER_COMMAND.test(s));
    fc.assert(
      fc.property(ordinary, (value) => sanitizeText(value) === value),
      { numRuns: 2_000 },
    );
    expect(sanitizeText("public/post.html:3:5")).toBe("public/post.html:3:5");
  });

  it("removes whole escape sequences, not only their first character", () => {
    expect(sanitizeText("Lamp\u001b[2K\u001b[1A title\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007")).toBe("Lamp titlelink");
    expect(sanitizeText("::error::x")).toBe("%3A:error::x");
    expect(sanitizeText("  ##[error]x")).toBe("  %23#[error]x");
    expect(sanitizeText("a\r\nb")).toBe("a b");
  });
});
