#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script), bundled
// (scripts/build-cli.mjs) and run from its classic script with a V8 code cache
// (bin/cli-script.js), which saves parsing and compiling most of it again on every run.
// CommonJS (bin/package.json): an ES module entry costs Node its ESM loader's start, about 5 ms.
'use strict';
const { loadCliScript } = require('./cli-script.js');

const { installSignalCleanup, main } = loadCliScript().exports;

installSignalCleanup();
// A safety net: if the event loop ever empties while the run has not ended (a promise nobody
// settles), Node would exit with code 13 and no report; say so on one line and exit 3 instead.
let ended = false;
process.on('beforeExit', () => {
  if (ended) return;
  process.stderr.write('citewatch: internal error: the run stopped with work still pending\n');
  process.exit(3);
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  ended = true;
});
