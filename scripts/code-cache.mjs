#!/usr/bin/env node
// Writes the V8 code caches bin/citewatch.js compiles the CLI scripts with (bin/cli-script.js):
// dist/NAME.cache for the CLI, dist/NAME-net.cache for the network stage. Run by
// scripts/build-cli.mjs, in a process of its own started with no flag, as a user's `node` is:
// V8 rejects a cache made under other flags.
//
// Each cache is taken after a representative run, not straight after compiling: V8 compiles
// most functions only when first called, and only the compiled ones are in a cache. The CLI's
// after an offline check of a wikitext and a Markdown article; the network stage's after an
// online check of two links on a loopback server.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheHeader, loadCliScript } from '../bin/cli-script.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const nameIndex = args.indexOf('--name');
const name = nameIndex >= 0 ? args[nameIndex + 1] : 'cli.bundle';
const dist = join(root, 'dist');
const ARTICLES = [
  'tests/fixtures/wikitext/corpus/Allen-R.-Morris.txt',
  'references/artificial-intelligence-industry-in-china.md',
].map((a) => join(root, a));

const missing = ARTICLES.filter((a) => !existsSync(a));
if (missing.length > 0) {
  // Not a clone (a packed copy has no fixtures): the CLI runs as well without a cache.
  process.stderr.write(`code-cache: ${missing.join(', ')} not found: no code cache written\n`);
  process.exit(0);
}

const silent = () => {};
const io = { stdout: silent, stderr: silent, terminal: { isTTY: false, write: silent } };
const loaded = loadCliScript({ name, dist, cache: false });

/** Writes `dist/FILE.cache`: a header naming the script's content, then V8's cache. */
async function writeCache(file, script) {
  const header = cacheHeader(readFileSync(join(dist, `${file}.cjs`)));
  await writeFile(
    join(dist, `${file}.cache`),
    Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()]),
  );
}

/** A server on loopback for the online run: one page alive, one gone. */
async function loopbackWeb() {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/gone' ? 404 : 200;
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end('<!doctype html><title>A page</title><p>Some text of the page, long enough to read.</p>');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

const dir = await mkdtemp(join(tmpdir(), 'citewatch-code-cache-'));
try {
  const common = ['--state', join(dir, 'state.sqlite'), '--now', '2026-01-01T00:00:00Z', '--quiet'];
  const code = await loaded.exports.main(
    ['check', ...ARTICLES, '--offline', '--out', join(dir, 'offline'), ...common],
    io,
  );
  if (code !== 0) throw new Error(`code-cache: the representative run exited ${code}`);
  // Taken now: what only online runs compile stays out of the cache every offline run reads.
  await writeCache(name, loaded.script);

  // Should loopback be unusable here, the build goes on: runs that fetch then compile the
  // network stage from source, as they did before there was a cache.
  const server = await loopbackWeb();
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const article = join(dir, 'online.wiki');
    const cite = (path, title) => `<ref>{{cite web |url=${base}${path} |title=${title}}}</ref>`;
    await writeFile(article, `'''A''' is cited.${cite('/page', 'A page')} Twice.${cite('/gone', 'Gone')}\n`);
    const online = ['--allow-network', '127.0.0.0/8', '--snapshots', 'none', '--per-host-interval', '0'];
    const onlineCode = await loaded.exports.main(
      ['check', article, '--out', join(dir, 'online'), ...online, ...common],
      io,
    );
    const net = loaded.network();
    if (onlineCode !== 0 || !net) throw new Error(`the online run exited ${onlineCode}`);
    await writeCache(`${name}-net`, net.script);
  } catch (error) {
    process.stderr.write(`code-cache: no cache for the network stage (${error.message})\n`);
  } finally {
    server.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
