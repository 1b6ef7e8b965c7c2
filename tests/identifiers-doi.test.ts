import { describe, expect, it } from 'vitest';
import { encodeHandlePath, resolveDoi } from '../src/check/index.js';
import { ApiError } from '../src/errors.js';
import { useMockAgentFetcher } from './support/services.js';

const DOI_ORG = 'https://doi.org';
const JSON_HEADERS = { headers: { 'content-type': 'application/json;charset=UTF-8' } };

/** Recorded: `GET https://doi.org/api/handles/10.1002/chem.202000622`. */
const FOUND = {
  responseCode: 1,
  handle: '10.1002/chem.202000622',
  values: [
    {
      index: 1,
      type: 'URL',
      data: { format: 'string', value: 'https://onlinelibrary.wiley.com/doi/10.1002/chem.202000622' },
      ttl: 86400,
      timestamp: '2020-09-25T16:02:07Z',
    },
    {
      index: 700050,
      type: '700050',
      data: { format: 'string', value: '2020100503563800217' },
      ttl: 86400,
      timestamp: '2020-10-05T12:25:43Z',
    },
    {
      index: 100,
      type: 'HS_ADMIN',
      data: { format: 'admin', value: { handle: '0.na/10.1002', index: 200, permissions: '111111110010' } },
      ttl: 86400,
      timestamp: '2020-03-30T02:01:43Z',
    },
  ],
};

describe('resolveDoi', () => {
  const mock = useMockAgentFetcher();

  it('responseCode 1: the DOI is registered', async () => {
    mock.agent
      .get(DOI_ORG)
      .intercept({ path: '/api/handles/10.1002/chem.202000622', method: 'GET' })
      .reply(200, FOUND, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.1002/chem.202000622')).resolves.toEqual({
      outcome: 'resolves',
      reason: 'found',
      httpStatus: 200,
    });
  });

  it('responseCode 100 comes with HTTP 404: the body is read, not only the status', async () => {
    mock.agent
      .get(DOI_ORG)
      .intercept({ path: '/api/handles/10.1016/jpaid.2003.07.001', method: 'GET' })
      .reply(404, { responseCode: 100, handle: '10.1016/jpaid.2003.07.001' }, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.1016/jpaid.2003.07.001')).resolves.toEqual({
      outcome: 'unresolved',
      reason: 'not-found',
      httpStatus: 404,
    });
  });

  it('responseCode 200: registered but pointing nowhere', async () => {
    mock.agent
      .get(DOI_ORG)
      .intercept({ path: '/api/handles/10.5555/empty', method: 'GET' })
      .reply(200, { responseCode: 200, handle: '10.5555/empty', values: [] }, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/empty')).resolves.toMatchObject({
      outcome: 'unresolved',
      reason: 'no-values',
    });
  });

  it('responseCode 2 (HTTP 500) is an error of the service, not of the DOI', async () => {
    mock.agent
      .get(DOI_ORG)
      .intercept({ path: '/api/handles/10.5555/x', method: 'GET' })
      .reply(500, { responseCode: 2, message: 'Error' }, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/x')).resolves.toMatchObject({
      outcome: 'error',
      reason: 'handle-server-error',
    });
  });

  it('a 503 page or a 429 is an error with the status', async () => {
    const pool = mock.agent.get(DOI_ORG);
    pool
      .intercept({ path: '/api/handles/10.5555/a', method: 'GET' })
      .reply(503, '<html>Service Unavailable</html>');
    pool.intercept({ path: '/api/handles/10.5555/b', method: 'GET' }).reply(429, 'slow down');
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/a')).resolves.toEqual({
      outcome: 'error',
      reason: 'http-503',
      httpStatus: 503,
    });
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/b')).resolves.toMatchObject({
      reason: 'http-429',
    });
  });

  it('a failed connection is an error of its kind', async () => {
    mock.agent
      .get(DOI_ORG)
      .intercept({ path: '/api/handles/10.5555/c', method: 'GET' })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/c')).resolves.toMatchObject({
      outcome: 'error',
      reason: 'reset',
    });
  });

  it('an answer that is not the API JSON is an ApiError', async () => {
    const pool = mock.agent.get(DOI_ORG);
    pool.intercept({ path: '/api/handles/10.5555/html', method: 'GET' }).reply(200, '<html>hello</html>');
    pool
      .intercept({ path: '/api/handles/10.5555/shape', method: 'GET' })
      .reply(200, { handle: '10.5555/shape' }, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/html')).rejects.toBeInstanceOf(ApiError);
    await expect(resolveDoi(mock.fetcher, DOI_ORG, '10.5555/shape')).rejects.toMatchObject({
      code: 'CW_ERR_API',
      service: 'doi',
    });
  });

  it('encodes each segment of DOIs full of reserved characters, keeping the slashes', async () => {
    const doi = '10.1002/(sici)1097-4636(199706)35:4<455::aid-jbm5>3.0.co;2-g';
    const path = `/api/handles/${encodeHandlePath(doi)}`;
    expect(path).toBe(
      '/api/handles/10.1002/(sici)1097-4636(199706)35%3A4%3C455%3A%3Aaid-jbm5%3E3.0.co%3B2-g',
    );
    mock.agent
      .get(DOI_ORG)
      .intercept({ path, method: 'GET' })
      .reply(200, { ...FOUND, handle: doi }, JSON_HEADERS);
    await expect(resolveDoi(mock.fetcher, `${DOI_ORG}/`, doi)).resolves.toMatchObject({
      outcome: 'resolves',
    });
  });
});
