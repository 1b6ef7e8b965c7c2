/**
 * arXiv client: the export API's `id_list` query, answered as an Atom feed. A known id comes
 * back as an entry whose `<id>` is `http://arxiv.org/abs/<id>v<n>`; an id the API rejects
 * comes back (with HTTP 200) as an entry titled `Error` whose `<id>` is
 * `http://arxiv.org/api/errors#incorrect_id_format_for_<id>`; an unknown well-formed id is
 * simply absent. Only those two say something about the id: any other error entry (an error
 * that names no id, or an error kind other than a malformed id) is the API failing, an `error`
 * for the ids it concerns, never "does not exist". arXiv asks for at most one request every 3
 * seconds: that limit belongs to the
 * fetcher's per-host limits (`serviceHostLimits`), not to this client.
 */
import { loadHtml as load } from '../core/lazy.js';
import { ApiError } from '../errors.js';
import type { Fetcher } from '../net/types.js';
import {
  batches,
  fetchFailure,
  httpFailure,
  type IdentifierResolution,
  MAX_SERVICE_BODY,
} from './service.js';

export interface ArxivOptions {
  /** Ids per request. @default 100 */
  batchSize?: number;
}

/** What the feed says about the ids it names. */
interface FeedReading {
  found: Set<string>;
  /** Rejected ids and why (`incorrect-id-format`). */
  rejected: Map<string, string>;
  /** Error entries that name no id of the request. */
  anonymousErrors: number;
}

/** `http://arxiv.org/abs/hep-th/9901001v2` → `hep-th/9901001`. */
const ABS_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/abs\/(.+?)(?:v\d+)?$/i;
/** `http://arxiv.org/api/errors#incorrect_id_format_for_1234` → kind, id. */
const ERROR_ID = /\/api\/errors#(.+?)_for_(.+)$/i;
/** The one error kind that is a statement about the id itself rather than a failure of the API. */
const ID_REJECTED = 'incorrect-id-format';

const key = (id: string): string => id.trim().toLowerCase();

/** Reads an Atom answer; throws `ApiError` when it is not an Atom feed. */
export function readArxivFeed(xml: string): FeedReading {
  if (!/<feed[\s>]/i.test(xml)) throw new ApiError('arxiv', 'answer is not an Atom feed');
  const $ = load(xml, { xml: true });
  const reading: FeedReading = { found: new Set(), rejected: new Map(), anonymousErrors: 0 };
  $('entry').each((_, el) => {
    const entry = $(el);
    const id = entry.children('id').first().text().trim();
    const title = entry.children('title').first().text().trim();
    const error = id.match(ERROR_ID);
    if (error || /^error$/i.test(title)) {
      if (error?.[2]) reading.rejected.set(key(error[2]), error[1]!.replace(/_/g, '-').toLowerCase());
      else reading.anonymousErrors++;
      return;
    }
    const abs = id.match(ABS_ID);
    if (abs?.[1]) reading.found.add(key(abs[1]));
  });
  return reading;
}

async function resolveBatch(
  fetcher: Fetcher,
  endpoint: string,
  ids: readonly string[],
): Promise<Map<string, IdentifierResolution>> {
  const url = new URL(endpoint);
  url.searchParams.set('id_list', ids.join(','));
  url.searchParams.set('max_results', String(ids.length));
  const result = await fetcher.fetch({
    url: url.href,
    headers: { accept: 'application/atom+xml' },
    maxBodyBytes: MAX_SERVICE_BODY,
  });
  const all = (resolution: IdentifierResolution): Map<string, IdentifierResolution> =>
    new Map(ids.map((id) => [id, resolution]));
  const failed = fetchFailure(result);
  if (failed) return all(failed);
  // The API answers a rejected id_list with an error feed, sometimes as HTTP 400.
  if (result.status !== 200 && result.status !== 400) return all(httpFailure(result.status));
  if (result.truncated) throw new ApiError('arxiv', `answer larger than ${MAX_SERVICE_BODY} bytes`);
  const reading = readArxivFeed(result.body.toString('utf8'));
  if (result.status === 400 && reading.rejected.size === 0 && reading.anonymousErrors === 0) {
    return all(httpFailure(400));
  }
  const out = new Map<string, IdentifierResolution>();
  const unsettled: string[] = [];
  for (const id of ids) {
    const k = key(id);
    const rejected = reading.rejected.get(k);
    if (reading.found.has(k)) out.set(id, { outcome: 'resolves', reason: 'found', httpStatus: 200 });
    else if (rejected === ID_REJECTED)
      out.set(id, { outcome: 'unresolved', reason: rejected, httpStatus: result.status });
    else if (rejected)
      out.set(id, { outcome: 'error', reason: `api-${rejected}`, httpStatus: result.status });
    else unsettled.push(id);
  }
  // One bad id can turn the whole answer into an error feed: ask again one id at a time.
  const poisoned = reading.rejected.size > 0 || reading.anonymousErrors > 0;
  if (poisoned && ids.length > 1 && unsettled.length > 0) {
    for (const id of unsettled)
      for (const [k, v] of await resolveBatch(fetcher, endpoint, [id])) out.set(k, v);
    return out;
  }
  for (const id of unsettled) {
    out.set(
      id,
      reading.anonymousErrors > 0
        ? { outcome: 'error', reason: 'api-error', httpStatus: result.status }
        : { outcome: 'unresolved', reason: 'not-found', httpStatus: result.status },
    );
  }
  return out;
}

/**
 * Whether each arXiv id (normalised, without version) exists, asking the export API at
 * `endpoint`. Batches run one after another: the API is rate limited per host anyway.
 */
export async function resolveArxivIds(
  fetcher: Fetcher,
  endpoint: string,
  ids: readonly string[],
  options: ArxivOptions = {},
): Promise<Map<string, IdentifierResolution>> {
  const out = new Map<string, IdentifierResolution>();
  for (const batch of batches([...new Set(ids)], Math.max(1, options.batchSize ?? 100))) {
    for (const [id, resolution] of await resolveBatch(fetcher, endpoint, batch)) out.set(id, resolution);
  }
  return out;
}
