// Tokenises mandate files with editors/mandate.tmLanguage.json, through the
// engine VS Code uses (vscode-textmate on vscode-oniguruma), and checks the
// result. Run by tests/textmate.rs; by hand:
//
//   node editors/test/tokenize.mjs [--show FILE] [FILE_OR_FOLDER...]
//
// With no FILE_OR_FOLDER it reads every `*.mandate` under rules/. A file
// fails when a line throws, when a piece of text (anything but blanks) has
// no scope of its own (only source.mandate, or only source.rhai inside a
// principle), when a token is scoped invalid.*, or when the file ends inside
// an unfinished construct (a principle block, a string, a condition...).
// With --show FILE, prints that file's tokens, one `text => scopes` line
// each (blanks left out, source.mandate left off), under a header per line.
// Exit status: 0 all good, 1 some file failed, 2 the grammar or the engine
// could not be loaded, or a bad command line.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const grammarPath = join(root, "editors", "mandate.tmLanguage.json");

function die(message) {
  process.stderr.write(`tokenize.mjs: ${message}\n`);
  process.exit(2);
}

async function loadGrammar() {
  let textmate;
  let oniguruma;
  try {
    textmate = (await import("vscode-textmate")).default;
    oniguruma = (await import("vscode-oniguruma")).default;
  } catch (error) {
    die(`cannot load vscode-textmate or vscode-oniguruma (run .ci/editor-setup): ${error.message}`);
  }
  const wasm = readFileSync(join(here, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.mandate") {
        return null;
      }
      const text = readFileSync(grammarPath, "utf8");
      return textmate.parseRawGrammar(text, grammarPath);
    },
  });
  const grammar = await registry.loadGrammar("source.mandate");
  if (!grammar) {
    die(`${grammarPath} did not load as source.mandate`);
  }
  return { grammar, INITIAL: textmate.INITIAL };
}

function mandateFiles(path) {
  if (!statSync(path).isDirectory()) {
    return [path];
  }
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        return mandateFiles(full);
      }
      return entry.name.endsWith(".mandate") ? [full] : [];
    });
}

// The scopes that say nothing about a piece of text.
const bare = new Set(["source.mandate", "source.rhai"]);

// Tokenises one file: its lines' tokens and the problems found.
function tokenise({ grammar, INITIAL }, file) {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") {
    lines.pop();
  }
  const problems = [];
  const tokenised = [];
  const start = grammar.tokenizeLine("", INITIAL).ruleStack;
  let stack = INITIAL;
  lines.forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    let result;
    try {
      result = grammar.tokenizeLine(line, stack);
    } catch (error) {
      problems.push(`${where}: the line threw: ${error.message}`);
      tokenised.push([]);
      return;
    }
    stack = result.ruleStack;
    const tokens = result.tokens.map((token) => ({
      text: line.slice(token.startIndex, token.endIndex),
      column: token.startIndex + 1,
      scopes: token.scopes,
    }));
    for (const token of tokens) {
      if (token.text.trim() === "") {
        continue;
      }
      const innermost = token.scopes[token.scopes.length - 1];
      if (bare.has(innermost)) {
        problems.push(`${where}:${token.column}: ${JSON.stringify(token.text)} has no scope of its own (${token.scopes.join(" ")})`);
      }
      const invalid = token.scopes.find((scope) => scope.startsWith("invalid."));
      if (invalid) {
        problems.push(`${where}:${token.column}: ${JSON.stringify(token.text)} is ${invalid}`);
      }
    }
    tokenised.push(tokens);
  });
  if (lines.length > 0 && !stack.equals(start)) {
    problems.push(`${file}: the file ends inside an unfinished construct`);
  }
  return { lines, tokenised, problems };
}

function show(lines, tokenised) {
  const out = [];
  lines.forEach((line, index) => {
    out.push(`${index + 1} | ${line}`.trimEnd());
    for (const token of tokenised[index]) {
      if (token.text.trim() === "") {
        continue;
      }
      const scopes = token.scopes.filter((scope) => scope !== "source.mandate");
      out.push(`  ${JSON.stringify(token.text)} => ${scopes.join(" ") || "(none)"}`);
    }
  });
  return out.join("\n") + "\n";
}

async function main() {
  const args = process.argv.slice(2);
  let shown = null;
  const paths = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === "--show") {
      shown = args[i + 1];
      i += 1;
      if (shown === undefined) {
        die("--show needs a file");
      }
    } else {
      paths.push(args[i]);
    }
  }
  const files = (paths.length > 0 ? paths : [join(root, "rules")]).flatMap(mandateFiles);
  if (shown !== null && !files.some((file) => resolve(file) === resolve(shown))) {
    files.push(shown);
  }
  if (files.length === 0) {
    die("no .mandate file found");
  }
  const engine = await loadGrammar();
  let failed = false;
  for (const file of files) {
    const { lines, tokenised, problems } = tokenise(engine, file);
    for (const problem of problems) {
      process.stderr.write(`${problem}\n`);
    }
    failed ||= problems.length > 0;
    if (shown !== null && resolve(file) === resolve(shown)) {
      process.stdout.write(show(lines, tokenised));
    }
    process.stderr.write(`${relative(root, resolve(file))}: ${lines.length} lines, ${problems.length === 0 ? "ok" : `${problems.length} problem(s)`}\n`);
  }
  // Not process.exit: it would cut off what is still to be written to a pipe.
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => die(error.stack ?? String(error)));
