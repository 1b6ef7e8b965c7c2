/**
 * The CLI from the TypeScript sources, then the packages (from node_modules) the process
 * loaded, as the last line of stdout: `PACKAGES ["commander", …]`. With `--load-net` first,
 * the network stage is imported before the run (the control: undici does show up when loaded).
 * `node --import tsx tests/support/packages-child.ts [--load-net] ARGS`
 */
import { createRequire } from 'node:module';
import { main } from '../../src/cli.js';

const args = process.argv.slice(2);
if (args[0] === '--load-net') {
  args.shift();
  await import('../../src/net/index.js');
}
const code = await main(args);
const packages = new Set<string>();
for (const path of Object.keys(createRequire(import.meta.url).cache)) {
  const name = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(path)?.[1];
  if (name) packages.add(name.replace(/\\/g, '/'));
}
process.stdout.write(`\nPACKAGES ${JSON.stringify([...packages].sort())}\n`);
process.exitCode = code;
