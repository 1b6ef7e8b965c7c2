#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { installSignalCleanup, main } from '../dist/cli.js';

installSignalCleanup();
process.exitCode = await main(process.argv.slice(2));
