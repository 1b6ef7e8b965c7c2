import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The seed article as committed in `references/`. */
export const SEED_PATH = fileURLToPath(
  new URL('../../references/artificial-intelligence-industry-in-china.md', import.meta.url),
);

export const readSeedText = (): Promise<string> => readFile(SEED_PATH, 'utf8');
