/**
 * The JSON reports a run wrote, in input order: a streaming run keeps one line per article
 * (`RunResult.articles`), not the reports, which are in the files it wrote.
 */
import { readFile } from 'node:fs/promises';
import type { Report } from '../../src/model.js';
import type { RunResult } from '../../src/pipeline.js';
import { validateReport } from '../../src/report/json.js';

export async function writtenReports(result: Pick<RunResult, 'written'>): Promise<Report[]> {
  const files = result.written.filter((p) => p.endsWith('.json'));
  return Promise.all(files.map(async (p) => validateReport(JSON.parse(await readFile(p, 'utf8')))));
}
