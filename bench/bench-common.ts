/**
 * What several in-process benches share: this process's CPU so far, and the extract and audit
 * stages of a compiled build (this checkout's `dist/`, or another build's for a before/after).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExtractInput } from '../src/extract/index.js';
import type { Article, Finding } from '../src/model.js';

/** User + system CPU of this process so far, in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface Stages {
  extractArticle: (input: ExtractInput) => Article;
  auditArticle: (article: Article, options: { now: string }) => Finding[];
}

/** The extract and audit stages compiled in `dist` (a folder; `dist` by default). */
export async function loadStages(dist = 'dist'): Promise<Stages> {
  const root = resolve(dist);
  const extract = await import(pathToFileURL(`${root}/extract/index.js`).href);
  const audit = await import(pathToFileURL(`${root}/audit/index.js`).href);
  return { extractArticle: extract.extractArticle, auditArticle: audit.auditArticle };
}
