import { describe, expect, it } from 'vitest';
import { HANDLE_ENDPOINT, resolveHandle } from '../src/check/index.js';
import { useMockAgentFetcher } from './support/services.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json;charset=UTF-8' } };

describe('resolveHandle', () => {
  const mock = useMockAgentFetcher();

  it('defaults to the Handle System proxy', () => {
    expect(HANDLE_ENDPOINT).toBe('https://hdl.handle.net');
  });

  it('a registered handle resolves', async () => {
    // Recorded shape: GET https://hdl.handle.net/api/handles/2027/mdp.39015074129430
    mock.agent
      .get(HANDLE_ENDPOINT)
      .intercept({ path: '/api/handles/2027/mdp.39015074129430', method: 'GET' })
      .reply(
        200,
        {
          responseCode: 1,
          handle: '2027/mdp.39015074129430',
          values: [
            {
              index: 1,
              type: 'URL',
              data: { format: 'string', value: 'https://babel.hathitrust.org/cgi/pt?id=mdp.39015074129430' },
              ttl: 86400,
              timestamp: '2011-06-21T18:33:25Z',
            },
          ],
        },
        JSON_HEADERS,
      );
    await expect(resolveHandle(mock.fetcher, HANDLE_ENDPOINT, '2027/mdp.39015074129430')).resolves.toEqual({
      outcome: 'resolves',
      reason: 'found',
      httpStatus: 200,
    });
  });

  it('an unknown handle is unresolved (responseCode 100 with HTTP 404)', async () => {
    mock.agent
      .get(HANDLE_ENDPOINT)
      .intercept({ path: '/api/handles/2027/nope.1', method: 'GET' })
      .reply(404, { responseCode: 100, handle: '2027/nope.1' }, JSON_HEADERS);
    await expect(resolveHandle(mock.fetcher, HANDLE_ENDPOINT, '2027/nope.1')).resolves.toMatchObject({
      outcome: 'unresolved',
      reason: 'not-found',
    });
  });

  it('a 404 page that is not the API is an ApiError, not "unresolved"', async () => {
    mock.agent
      .get(HANDLE_ENDPOINT)
      .intercept({ path: '/api/handles/2027/x', method: 'GET' })
      .reply(404, '<html><title>Not Found</title></html>', { headers: { 'content-type': 'text/html' } });
    await expect(resolveHandle(mock.fetcher, HANDLE_ENDPOINT, '2027/x')).rejects.toMatchObject({
      code: 'CW_ERR_API',
      service: 'handle',
    });
  });
});
