/**
 * The CLI as the launcher runs it (signal cleanup installed), from the TypeScript sources, for
 * the tests that kill or interrupt a run: `node --import tsx tests/support/cli-child.ts ARGS`.
 */
import { installSignalCleanup, main } from '../../src/cli.js';

installSignalCleanup();
process.exitCode = await main(process.argv.slice(2));
