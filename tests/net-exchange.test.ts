import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { createFetcher, fetcherOptionsFromDefaults, type PoliteFetcher } from '../src/net/index.js';

/**
 * A dispatcher that answers every request with `script`, calling the handler the way undici's
 * HTTP/1 client does: header names and values as buffers, the body in chunks.
 */
function scripted(
  script: (handler: Dispatcher.DispatchHandler, options: Dispatcher.DispatchOptions) => void,
): Dispatcher & { aborted: unknown[] } {
  const aborted: unknown[] = [];
  return {
    aborted,
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      queueMicrotask(() => {
        handler.onConnect?.((reason) => {
          aborted.push(reason);
          handler.onError?.(reason ?? new Error('aborted'));
        });
        script(handler, options);
      });
      return true;
    },
  } as unknown as Dispatcher & { aborted: unknown[] };
}

const raw = (...pairs: string[]): Buffer[] => pairs.map((p) => Buffer.from(p, 'latin1'));

function fetcherOver(dispatcher: Dispatcher, overrides = {}): PoliteFetcher {
  return createFetcher(fetcherOptionsFromDefaults({ perHostIntervalMs: 0, retries: 0, ...overrides }), {
    dispatcher,
  });
}

describe('the exchange leaves nothing of a response behind', () => {
  it('empties the header list it was handed (its entries are views on the socket read)', async () => {
    const lists: Buffer[][] = [];
    const dispatcher = scripted((handler) => {
      const headers = raw('Content-Type', 'text/html', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2');
      lists.push(headers);
      handler.onHeaders?.(200, headers, () => {}, 'OK');
      handler.onData?.(Buffer.from('<p>hello</p>'));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://example.org/page' });
    expect(result.status).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'text/html', 'set-cookie': 'a=1, b=2' });
    expect(result.body.toString()).toBe('<p>hello</p>');
    expect(lists).toHaveLength(1);
    expect(lists[0]).toEqual([]);
    await fetcher.close();
  });

  it('hands fetchEach’s callback the body, and lets go of it once the callback returns', async () => {
    const dispatcher = scripted((handler, options) => {
      handler.onHeaders?.(200, raw('content-type', 'text/plain'), () => {}, 'OK');
      handler.onData?.(Buffer.from(`body of ${options.path}`));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const seen: string[] = [];
    const results: Array<{ body: Buffer }> = [];
    await fetcher.fetchEach(
      [{ url: 'https://example.org/a' }, { url: 'https://example.org/b' }],
      (_request, result) => {
        seen.push(result.body.toString());
        results.push(result);
      },
    );
    expect(seen.sort()).toEqual(['body of /a', 'body of /b']);
    expect(results.map((r) => r.body.length)).toEqual([0, 0]);
    await fetcher.close();
  });

  it('a single fetch keeps its body: the caller owns the result', async () => {
    const dispatcher = scripted((handler) => {
      handler.onHeaders?.(200, raw('content-type', 'application/json'), () => {}, 'OK');
      handler.onData?.(Buffer.from('{"ok":'));
      handler.onData?.(Buffer.from('true}'));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://api.example.org/x' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(JSON.parse(result.body.toString())).toEqual({ ok: true });
    await fetcher.close();
  });
});

describe('the exchange reads bodies within their caps', () => {
  it('cuts a body at the cap and closes the exchange', async () => {
    const dispatcher = scripted((handler) => {
      handler.onHeaders?.(200, raw('content-type', 'text/plain'), () => {}, 'OK');
      if (handler.onData?.(Buffer.from('0123456789')) === false) return;
      handler.onData?.(Buffer.from('abcdefghij'));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://example.org/big', maxBodyBytes: 15 });
    expect(result.body.toString()).toBe('0123456789abcde');
    expect(result.truncated).toBe(true);
    expect(result.bytes).toBe(20);
    expect(result.error).toBeUndefined();
    expect(dispatcher.aborted).toHaveLength(1);
    await fetcher.close();
  });

  it('counts and drops the body of a redirect it follows, and is not truncated by it', async () => {
    const dispatcher = scripted((handler, options) => {
      if (options.path === '/old') {
        handler.onHeaders?.(301, raw('location', '/new'), () => {}, 'Moved');
        handler.onData?.(Buffer.alloc(70 * 1024, 0x61));
        handler.onComplete?.([]);
        return;
      }
      handler.onHeaders?.(200, raw('content-type', 'text/plain'), () => {}, 'OK');
      handler.onData?.(Buffer.from('here'));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://example.org/old' });
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('here');
    expect(result.truncated).toBe(false);
    expect(result.hops.map((h) => [h.status, h.location])).toEqual([
      [301, 'https://example.org/new'],
      [200, undefined],
    ]);
    // The redirect's 70 KiB passed the 64 KiB it may read: counted, then the exchange ended.
    expect(result.bytes).toBe(70 * 1024 + 4);
    expect(dispatcher.aborted).toHaveLength(1);
    await fetcher.close();
  });

  it('ignores an interim 1xx answer and reads the final one', async () => {
    const dispatcher = scripted((handler) => {
      handler.onHeaders?.(103, raw('link', '</style.css>; rel=preload'), () => {}, 'Early Hints');
      handler.onHeaders?.(200, raw('content-type', 'text/plain'), () => {}, 'OK');
      handler.onData?.(Buffer.from('final'));
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://example.org/hints' });
    expect(result.status).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'text/plain' });
    expect(result.body.toString()).toBe('final');
    await fetcher.close();
  });

  it('a body that fails midway counts what arrived and reports the failure', async () => {
    const dispatcher = scripted((handler) => {
      handler.onHeaders?.(200, raw('content-type', 'text/plain'), () => {}, 'OK');
      handler.onData?.(Buffer.from('partial'));
      handler.onError?.(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    });
    const fetcher = fetcherOver(dispatcher);
    const result = await fetcher.fetch({ url: 'https://example.org/cut' });
    expect(result.error?.kind).toBe('reset');
    expect(result.bytes).toBe(7);
    expect(result.hops[0]?.status).toBe(200);
    await fetcher.close();
  });

  it('a response that ends without a final head fails at once instead of waiting for the deadline', async () => {
    const dispatcher = scripted((handler) => {
      handler.onHeaders?.(100, raw(), () => {}, 'Continue');
      handler.onComplete?.([]);
    });
    const fetcher = fetcherOver(dispatcher, { timeoutMs: 60_000 });
    const result = await fetcher.fetch({ url: 'https://example.org/headless' });
    expect(result.status).toBeUndefined();
    expect(result.error?.kind).toBe('other');
    expect(result.error?.detail).toContain('ended before its headers');
    await fetcher.close();
  });

  it('an exchange the dispatcher never answers ends at the deadline', async () => {
    const dispatcher = scripted(() => {});
    const fetcher = fetcherOver(dispatcher, { timeoutMs: 50 });
    const result = await fetcher.fetch({ url: 'https://example.org/silent' });
    expect(result.error?.kind).toBe('timeout');
    expect(dispatcher.aborted).toHaveLength(1);
    await fetcher.close();
  });
});
