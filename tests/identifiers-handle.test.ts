/**
 * The handle client (`hdl` identifiers) against recorded hdl.handle.net exchanges.
 *
 * Served by undici's `MockAgent` as the real fetcher's dispatcher: the fetcher uses undici's
 * own `request()`, which nock does not intercept (nock patches Node's `http` and the global
 * `fetch` only).
 */
import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDLE_ENDPOINT, resolveHandle } from '../src/check/index.js';
import type { PoliteFetcher } from '../src/net/index.js';
import { mockAgentFetcher } from './support/services.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json;charset=UTF-8' } };

describe('resolveHandle', () => {
  let agent: MockAgent;
  let fetcher: PoliteFetcher;

  beforeEach(() => {
    ({ agent, fetcher } = mockAgentFetcher());
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await fetcher.close();
    await agent.close();
  });

  it('defaults to the Handle System proxy', () => {
    expect(HANDLE_ENDPOINT).toBe('https://hdl.handle.net');
  });

  it('a registered handle resolves', async () => {
    // Recorded shape: GET https://hdl.handle.net/api/handles/2027/mdp.39015074129430
    agent
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
    await expect(resolveHandle(fetcher, HANDLE_ENDPOINT, '2027/mdp.39015074129430')).resolves.toEqual({
      outcome: 'resolves',
      reason: 'found',
      httpStatus: 200,
    });
  });

  it('an unknown handle is unresolved (responseCode 100 with HTTP 404)', async () => {
    agent
      .get(HANDLE_ENDPOINT)
      .intercept({ path: '/api/handles/2027/nope.1', method: 'GET' })
      .reply(404, { responseCode: 100, handle: '2027/nope.1' }, JSON_HEADERS);
    await expect(resolveHandle(fetcher, HANDLE_ENDPOINT, '2027/nope.1')).resolves.toMatchObject({
      outcome: 'unresolved',
      reason: 'not-found',
    });
  });

  it('a 404 page that is not the API is an ApiError, not "unresolved"', async () => {
    agent
      .get(HANDLE_ENDPOINT)
      .intercept({ path: '/api/handles/2027/x', method: 'GET' })
      .reply(404, '<html><title>Not Found</title></html>', { headers: { 'content-type': 'text/html' } });
    await expect(resolveHandle(fetcher, HANDLE_ENDPOINT, '2027/x')).rejects.toMatchObject({
      code: 'CW_ERR_API',
      service: 'handle',
    });
  });
});
