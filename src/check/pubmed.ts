/**
 * PubMed client: E-utilities `esummary` for PMIDs, up to 200 ids a request. A PMID PubMed does
 * not know still answers HTTP 200: its entry in `result` carries an `error` field ("cannot get
 * document summary") instead of a summary. A request-level problem (rate limit) is an `error`
 * field at the top, often with HTTP 429.
 */
import { z } from 'zod';
import type { Fetcher } from '../net/types.js';
import {
  batches,
  fetchFailure,
  httpFailure,
  type IdentifierResolution,
  joinUrl,
  MAX_SERVICE_BODY,
  parseJson,
  validateAnswer,
} from './service.js';

export interface PubmedOptions {
  /** PMIDs per request; E-utilities takes up to 200 with GET. @default 200 */
  batchSize?: number;
  /** `tool` parameter NCBI asks clients to send. @default 'citewatch' */
  tool?: string;
}

/** One entry of `result`, keyed by uid: a summary, or an error for an unknown id. */
const SummaryEntry = z.looseObject({
  uid: z.string().optional(),
  error: z.string().optional(),
  title: z.string().optional(),
});

const EsummaryAnswer = z.object({
  header: z.looseObject({ type: z.string().optional() }).optional(),
  error: z.string().optional(),
  result: z.looseObject({ uids: z.array(z.string()) }).optional(),
});

/** The most PMIDs one esummary GET may carry. */
export const ESUMMARY_MAX_IDS = 200;

async function resolveBatch(
  fetcher: Fetcher,
  endpoint: string,
  pmids: readonly string[],
  tool: string,
): Promise<Map<string, IdentifierResolution>> {
  const url = new URL(joinUrl(endpoint, 'esummary.fcgi'));
  url.searchParams.set('db', 'pubmed');
  url.searchParams.set('id', pmids.join(','));
  url.searchParams.set('retmode', 'json');
  url.searchParams.set('tool', tool);
  const result = await fetcher.fetch({
    url: url.href,
    headers: { accept: 'application/json' },
    maxBodyBytes: MAX_SERVICE_BODY,
  });
  const all = (resolution: IdentifierResolution): Map<string, IdentifierResolution> =>
    new Map(pmids.map((id) => [id, resolution]));
  const failed = fetchFailure(result);
  if (failed) return all(failed);
  if (result.status !== 200) return all(httpFailure(result.status));
  const answer = validateAnswer('eutils', EsummaryAnswer, parseJson('eutils', result));
  if (!answer.result) {
    if (answer.error !== undefined)
      return all({ outcome: 'error', reason: 'service-error', httpStatus: 200 });
    return all({ outcome: 'error', reason: 'no-result', httpStatus: 200 });
  }
  const out = new Map<string, IdentifierResolution>();
  for (const id of pmids) {
    const raw = answer.result[id];
    if (raw === undefined) {
      out.set(id, { outcome: 'unresolved', reason: 'not-found', httpStatus: 200 });
      continue;
    }
    const entry = validateAnswer('eutils', SummaryEntry, raw);
    out.set(
      id,
      entry.error === undefined
        ? { outcome: 'resolves', reason: 'found', httpStatus: 200 }
        : { outcome: 'unresolved', reason: 'not-found', httpStatus: 200 },
    );
  }
  return out;
}

/**
 * Whether each PMID is in PubMed, asking E-utilities at `endpoint` in batches. Throws
 * `ApiError` when an answer is not esummary's JSON.
 */
export async function resolvePmids(
  fetcher: Fetcher,
  endpoint: string,
  pmids: readonly string[],
  options: PubmedOptions = {},
): Promise<Map<string, IdentifierResolution>> {
  const size = Math.min(ESUMMARY_MAX_IDS, Math.max(1, options.batchSize ?? ESUMMARY_MAX_IDS));
  const unique = [...new Set(pmids)];
  const answers = await Promise.all(
    batches(unique, size).map((batch) => resolveBatch(fetcher, endpoint, batch, options.tool ?? 'citewatch')),
  );
  return new Map(answers.flatMap((m) => [...m]));
}
