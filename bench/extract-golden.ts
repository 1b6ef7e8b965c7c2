/**
 * Golden comparison for the extract and audit stages: extracts and audits every input the
 * project has (the shared corpus, the seed, the test fixtures, the references and the issue's
 * 2000-reference article, generated from the bench's workload into the temporary folder), each in its detected format and forced into the two others, and
 * writes the articles and findings as JSON — or compares them with a previous write. Used to
 * show that a speed-up changed no result.
 * Run: npx tsx bench/extract-golden.ts --write /tmp/extract-golden
 *      npx tsx bench/extract-golden.ts --compare /tmp/extract-golden
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { auditArticle } from '../src/audit/index.js';
import { detectFormat, extractArticle } from '../src/extract/index.js';
import type { InputFormat } from '../src/model.js';
import { articleCiting } from './cli-web-bench.js';
import { generateWorkload } from './workload.js';

const NOW = '2026-11-20T00:00:00Z';
const FORMATS: InputFormat[] = ['wikitext', 'html', 'markdown'];

/**
 * The issue-14 article (`bench/cli-web-bench.ts`'s: 2000 `{{cite web}}` references), written
 * where the comparison can read it, under a fixed name: the name is part of each record's.
 */
function benchArticle(): string {
  const path = join(tmpdir(), 'citewatch-golden-article-2000.wiki');
  const urls = generateWorkload({ links: 2000 }).links.map(
    (l) => `http://${l.host}/${l.path.replace(/^\//, '')}`,
  );
  writeFileSync(path, articleCiting(urls));
  return path;
}

/** Every input file under the roots that exist, sorted. */
export function goldenInputs(): string[] {
  const roots = ['/work/shared/corpus', '/work/shared/seed', benchArticle(), 'tests/fixtures', 'references'];
  const files: string[] = [];
  const walk = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else if (/\.(txt|wiki|html?|md)$/.test(path)) {
      files.push(path);
    }
  };
  for (const root of roots) walk(root);
  return files;
}

/** The extracted article and its findings, for one file in one format, as JSON. */
export function goldenRecord(path: string, text: string, format: InputFormat): string {
  const article = extractArticle({ text, path, format });
  const findings = auditArticle(article, { now: NOW });
  return JSON.stringify({ article, findings }, null, 1);
}

function main(): void {
  const mode = process.argv[2];
  const dir = process.argv[3] ?? '/tmp/extract-golden';
  if (mode !== '--write' && mode !== '--compare') {
    console.error('usage: extract-golden.ts --write|--compare DIR');
    process.exitCode = 2;
    return;
  }
  mkdirSync(dir, { recursive: true });
  let compared = 0;
  const differing: string[] = [];
  for (const path of goldenInputs()) {
    const text = readFileSync(path, 'utf8');
    const detected = detectFormat(text, path);
    for (const format of FORMATS) {
      const name = `${path.replace(/[/\\]/g, '_')}.${format}${format === detected ? '' : '-forced'}.json`;
      const json = goldenRecord(path, text, format);
      const file = join(dir, name);
      if (mode === '--write') {
        writeFileSync(file, json);
      } else {
        compared++;
        if (!existsSync(file) || readFileSync(file, 'utf8') !== json) {
          differing.push(basename(file));
          writeFileSync(`${file}.new`, json);
        }
      }
    }
  }
  if (mode === '--compare') {
    console.log(`${compared} records compared, ${differing.length} differ`);
    for (const name of differing) console.log(`  differs: ${name} (new output in ${name}.new)`);
    if (differing.length > 0) process.exitCode = 1;
  } else {
    console.log(`written to ${dir}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
