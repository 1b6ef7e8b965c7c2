import { describe, expect, it } from 'vitest';
import { ESUMMARY_MAX_IDS, resolvePmids } from '../src/check/index.js';
import { ApiError } from '../src/errors.js';
import { useMockAgentFetcher } from './support/services.js';

const ORIGIN = 'https://eutils.ncbi.nlm.nih.gov';
const ENDPOINT = `${ORIGIN}/entrez/eutils`;
const JSON_HEADERS = { headers: { 'content-type': 'application/json; charset=UTF-8' } };

/** A summary entry as esummary writes it (fields trimmed to the ones that matter here). */
const summary = (uid: string, title: string) => ({
  uid,
  pubdate: '2019 Aug 26',
  epubdate: '2019 Aug 26',
  source: 'Nature',
  authors: [{ name: 'Doe J', authtype: 'Author', clusterid: '' }],
  title,
  volume: '572',
  pages: '106-111',
  articleids: [
    { idtype: 'pubmed', idtypen: 1, value: uid },
    { idtype: 'doi', idtypen: 3, value: '10.1038/s41586-019-1476-0' },
  ],
  fulljournalname: 'Nature',
});

const idsOf = (path: string): string[] =>
  (new URL(path, ORIGIN).searchParams.get('id') ?? '').split(',').filter(Boolean);

describe('resolvePmids', () => {
  const mock = useMockAgentFetcher();

  it('a known PMID resolves; a missing one answers 200 with an error in its entry', async () => {
    mock.agent
      .get(ORIGIN)
      .intercept({
        path: (p) =>
          p.startsWith('/entrez/eutils/esummary.fcgi?') &&
          p.includes('db=pubmed') &&
          p.includes('retmode=json'),
        method: 'GET',
      })
      .reply(
        200,
        {
          header: { type: 'esummary', version: '0.3' },
          result: {
            uids: ['31452104', '99999999'],
            '31452104': summary(
              '31452104',
              'Quantum supremacy using a programmable superconducting processor.',
            ),
            '99999999': { uid: '99999999', error: 'cannot get document summary' },
          },
        },
        JSON_HEADERS,
      );
    const answers = await resolvePmids(mock.fetcher, ENDPOINT, ['31452104', '99999999']);
    expect(Object.fromEntries(answers)).toEqual({
      '31452104': { outcome: 'resolves', reason: 'found', httpStatus: 200 },
      '99999999': { outcome: 'unresolved', reason: 'not-found', httpStatus: 200 },
    });
  });

  it(`asks at most ${ESUMMARY_MAX_IDS} ids a request`, async () => {
    const ids = Array.from({ length: 450 }, (_, i) => String(1000 + i));
    const asked: string[][] = [];
    mock.agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/entrez/eutils/esummary.fcgi?'), method: 'GET' })
      .reply((request) => {
        const batch = idsOf(request.path);
        asked.push(batch);
        const result: Record<string, unknown> = { uids: batch };
        for (const id of batch) result[id] = summary(id, `Paper ${id}`);
        return {
          statusCode: 200,
          data: { header: { type: 'esummary', version: '0.3' }, result },
          ...JSON_HEADERS,
        };
      })
      .times(3);
    const answers = await resolvePmids(mock.fetcher, ENDPOINT, [...ids, ids[0]!]);
    expect(asked.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(answers.size).toBe(450);
    expect([...answers.values()].every((a) => a.outcome === 'resolves')).toBe(true);
  });

  it('a rate limit is an error for the whole batch', async () => {
    mock.agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/entrez/eutils/esummary.fcgi?'), method: 'GET' })
      .reply(
        429,
        { error: 'API rate limit exceeded', 'api-key': '203.0.113.7', count: '4', limit: '3' },
        JSON_HEADERS,
      );
    const answers = await resolvePmids(mock.fetcher, ENDPOINT, ['1', '2']);
    expect([...answers.values()]).toEqual([
      { outcome: 'error', reason: 'http-429', httpStatus: 429 },
      { outcome: 'error', reason: 'http-429', httpStatus: 429 },
    ]);
  });

  it('a request-level error with HTTP 200 is a service error', async () => {
    mock.agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/entrez/eutils/esummary.fcgi?'), method: 'GET' })
      .reply(
        200,
        { header: { type: 'esummary', version: '0.3' }, error: 'Database is not supported' },
        JSON_HEADERS,
      );
    const answers = await resolvePmids(mock.fetcher, ENDPOINT, ['1']);
    expect(answers.get('1')).toMatchObject({ outcome: 'error', reason: 'service-error' });
  });

  it('nonsense is an ApiError', async () => {
    const pool = mock.agent.get(ORIGIN);
    pool
      .intercept({ path: (p) => p.includes('id=1&'), method: 'GET' })
      .reply(200, '<eSummaryResult><ERROR>Empty id list</ERROR></eSummaryResult>');
    pool
      .intercept({ path: (p) => p.includes('id=2&'), method: 'GET' })
      .reply(200, { result: { uids: 'not a list' } }, JSON_HEADERS);
    await expect(resolvePmids(mock.fetcher, ENDPOINT, ['1'])).rejects.toBeInstanceOf(ApiError);
    await expect(resolvePmids(mock.fetcher, ENDPOINT, ['2'])).rejects.toMatchObject({ service: 'eutils' });
  });
});
