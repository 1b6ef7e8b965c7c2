#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script), and bundled
// into one file (dist/cli.bundle.js, scripts/build-cli.mjs), which starts in half the CPU time.
import { installSignalCleanup, main } from '../dist/cli.bundle.js';

installSignalCleanup();
// A safety net: if the event loop ever empties while the run has not ended (a promise nobody
// settles), Node would exit with code 13 and no report; say so on one line and exit 3 instead.
let ended = false;
process.on('beforeExit', () => {
  if (ended) return;
  process.stderr.write('citewatch: internal error: the run stopped with work still pending\n');
  process.exit(3);
});
process.exitCode = await main(process.argv.slice(2));
ended = true;
