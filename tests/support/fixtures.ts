/**
 * Loads test inputs: fixtures under `tests/fixtures/` and the seed article committed in
 * `references/`, with the `ArticleSource` an extractor expects.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ArticleSource, InputFormat } from '../../src/model.js';

const ROOT = new URL('../../', import.meta.url);

/** The seed article, relative to the repository root. */
export const SEED_PATH = 'references/artificial-intelligence-industry-in-china.md';

/** A fixture's text, by its path under `tests/fixtures/` (e.g. `markdown/urls.md`). */
export const readFixture = (relPath: string): string =>
  readFileSync(new URL(`tests/fixtures/${relPath}`, ROOT), 'utf8');

/** The seed article's text. */
export const readSeed = (): string => readFileSync(new URL(SEED_PATH, ROOT), 'utf8');

/** The `ArticleSource` of a text read from `path`. */
export const sourceFor = (text: string, path?: string, format: InputFormat = 'markdown'): ArticleSource => ({
  format,
  bytes: Buffer.byteLength(text),
  sha256: createHash('sha256').update(text).digest('hex'),
  ...(path !== undefined && { path }),
});

/** The seed's `ArticleSource`. */
export const seedSource = (text: string = readSeed()): ArticleSource => sourceFor(text, SEED_PATH);
