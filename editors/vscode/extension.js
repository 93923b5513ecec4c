// The mandate extension's client: highlighting comes from the grammar in
// syntaxes/ (package.json contributes it); this file starts the language
// server, `mandate lsp`, over stdio when a .mandate file is opened.
//
// `mandate lsp` gives the diagnostics of `mandate validate` as you type,
// hovers that say a rule in plain English, completion, go to definition,
// the outline and formatting (`mandate fmt`). If
// the program cannot be started, the client shows one error and the
// highlighting still works. Set `mandate.server.path` to the program if it
// is not on PATH.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("mandate").get("server.path", "mandate");
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "mandate",
    "Mandate language server",
    { run, debug: run },
    { documentSelector: [{ language: "mandate" }] },
  );
  context.subscriptions.push(client);
  client.start().catch((error) => {
    vscode.window.showWarningMessage(
      `Mandate: could not start \`${command} lsp\` (${error.message}). Highlighting still works.`,
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
