#!/usr/bin/env node
/**
 * Rebuild test/fixtures/html5lib/inputs.json: the inputs (only the inputs) of html5lib-tests'
 * tokenizer/*.test and tree-construction/*.dat, for the parse5 differential test of the link finder.
 *
 *   node scripts/html5lib-corpus.mjs <path to a git dir of github.com/html5lib/html5lib-tests>
 *
 * Tree-construction tests moved to WPT in the repository's last commit; they are read at its parent.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const COMMIT = "9329e64694e7835d0dcff9811e22856ef6ad16f9";
const gitDir = process.argv[2];
if (!gitDir) {
  console.error("usage: node scripts/html5lib-corpus.mjs <git dir of html5lib/html5lib-tests>");
  process.exit(2);
}
const git = (...args) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
const files = git("ls-tree", "-r", "--name-only", COMMIT).split("\n");

/** `\uXXXX` escapes of doubleEscaped tokenizer tests. */
const unescapeCodes = (s) => s.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

const tokenizer = [];
for (const file of files.filter((f) => /^tokenizer\/.*\.test$/.test(f))) {
  const json = JSON.parse(git("show", `${COMMIT}:${file}`));
  for (const test of json.tests ?? json.xmlViolationTests ?? []) {
    tokenizer.push(test.doubleEscaped ? unescapeCodes(test.input) : test.input);
  }
}

const tree = [];
for (const file of files.filter((f) => /^tree-construction\/.*\.dat$/.test(f))) {
  const text = git("show", `${COMMIT}:${file}`);
  // Each test: "#data\n<input>\n#errors\n…"; the input's final newline is not part of it.
  for (const chunk of text.split(/^#data\n/m).slice(1)) {
    const end = chunk.search(/\n#errors\n/);
    if (end !== -1) tree.push(chunk.slice(0, end));
  }
}

const unique = (list) => [...new Set(list)];
const corpus = {
  source: { repository: "https://github.com/html5lib/html5lib-tests", commit: COMMIT },
  tokenizer: unique(tokenizer),
  treeConstruction: unique(tree),
};
writeFileSync(new URL("../test/fixtures/html5lib/inputs.json", import.meta.url), JSON.stringify(corpus) + "\n");
console.log(`tokenizer ${corpus.tokenizer.length} inputs, tree-construction ${corpus.treeConstruction.length} inputs`);
