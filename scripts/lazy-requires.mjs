// Node built-in modules that dependencies require at load time but a citewatch run never uses:
// commander loads `node:child_process` (which loads `net`, `dgram`…) for executable subcommands,
// which citewatch has none of; pino loads `worker_threads` to ask whether it is in the main
// thread before it starts a transport, and `thread-stream` (a transport's worker, with
// `worker_threads` and `assert`), which citewatch never starts; sonic-boom loads `assert` for
// one check when a destination closes. Every run of the bundle paid for loading them.
//
// This plugin moves each of those `require` calls to where the module is used, as the packages
// are bundled: the same calls, made when (if ever) they are needed. A patch whose text is no
// longer in the package (another version) fails the build instead of doing nothing.
// Shared by scripts/build-cli.mjs and scripts/build-cli-script.mjs.
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';

/** Per file of node_modules: each [text, replacement], every text found exactly once. */
const PATCHES = {
  'commander/lib/command.js': [
    [
      "const childProcess = require('node:child_process');",
      "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
    ],
  ],
  'pino/lib/tools.js': [
    ["const { isMainThread } = require('worker_threads')", ''],
    ['if (!opts.sync && isMainThread) {', "if (!opts.sync && require('worker_threads').isMainThread) {"],
  ],
  'pino/lib/transport.js': [
    ["const ThreadStream = require('thread-stream')", ''],
    ['const stream = new ThreadStream({', "const ThreadStream = require('thread-stream')\n  const stream = new ThreadStream({"],
  ],
  'sonic-boom/index.js': [["const assert = require('assert')", "const assert = (...args) => require('assert')(...args)"]],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const filter = new RegExp(
  `[\\\\/]node_modules[\\\\/](${Object.keys(PATCHES)
    .map((f) => f.split('/').map(escape).join('[\\\\/]'))
    .join('|')})$`,
);

/** @type {import('esbuild').Plugin} */
export const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    build.onLoad({ filter }, async ({ path }) => {
      const key = path.split(sep).join('/').split('/node_modules/').at(-1);
      let contents = await readFile(path, 'utf8');
      for (const [text, replacement] of PATCHES[key]) {
        const at = contents.indexOf(text);
        if (at < 0 || contents.indexOf(text, at + 1) >= 0)
          return { errors: [{ text: `scripts/lazy-requires.mjs: ${key} changed (${text}); update the patch` }] };
        contents = contents.slice(0, at) + replacement + contents.slice(at + text.length);
      }
      return { contents, loader: 'js' };
    });
  },
};
