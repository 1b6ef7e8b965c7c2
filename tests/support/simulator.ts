/**
 * A small web on loopback for tests and benchmarks: one real `node:http` server per simulated
 * host, each on its own address 127.0.x.y (from 127.0.1.1 up; all of 127.0.0.0/8 is routable
 * on Linux), port 0. `lookup` resolves the simulated names, so the fetcher's real DNS path,
 * address guard and timeouts are exercised. Nothing here reaches the Internet.
 */

import type { LookupAddress } from 'node:dns';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';

export type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { host: string; hit: number },
) => void | Promise<void>;

export interface SimHost {
  name: string;
  /** Handlers by path (`/a/b`, matched with the query first, then without). */
  routes?: Record<string, Route>;
  /** For paths with no route. @default 404 "Not Found" */
  fallback?: Route;
  /** Delay before each route runs. @default 0 */
  latencyMs?: number;
  /** The name resolves, but nothing listens at its address: connections are refused. */
  refuse?: boolean;
}

export interface RequestLog {
  host: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Epoch milliseconds (fractional). */
  startedAt: number;
  endedAt?: number;
}

export interface Simulator {
  /** name → its own 127.0.x.y (ENOTFOUND for unknown names). */
  lookup: LookupFunction;
  /** 'http://<host>:<port><path>' */
  url(host: string, path?: string): string;
  requests: RequestLog[];
  /** Most requests that were in flight at `host` at once, as the server saw them. */
  inFlightMax(host: string): number;
  /** TCP connections `host` accepted. */
  connections(host: string): number;
  /** The loopback address a host listens on. */
  addressOf(host: string): string;
  addHost(host: SimHost): Promise<void>;
  close(): Promise<void>;
}

interface HostRuntime {
  spec: SimHost;
  address: string;
  port: number;
  server?: Server;
  inFlight: number;
  inFlightMax: number;
  connections: number;
  hits: Map<string, number>;
}

const nowMs = (): number => performance.timeOrigin + performance.now();
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A port nobody listens on at a simulated address (the "refused" hosts). */
const REFUSED_PORT = 9;

export async function startSimulator(hosts: SimHost[]): Promise<Simulator> {
  const runtimes = new Map<string, HostRuntime>();
  const requests: RequestLog[] = [];
  let next = 0;

  const allocate = (): string => {
    const n = next++;
    const third = 1 + Math.floor(n / 254);
    if (third > 255) throw new RangeError('simulator: out of loopback addresses');
    return `127.0.${third}.${1 + (n % 254)}`;
  };

  const handle = async (rt: HostRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const log: RequestLog = {
      host: rt.spec.name,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      startedAt: nowMs(),
    };
    requests.push(log);
    rt.inFlight++;
    rt.inFlightMax = Math.max(rt.inFlightMax, rt.inFlight);
    res.once('close', () => {
      log.endedAt = nowMs();
      rt.inFlight--;
    });
    const pathname = path.split('?')[0] ?? path;
    const route = rt.spec.routes?.[path] ?? rt.spec.routes?.[pathname] ?? rt.spec.fallback ?? notFoundRoute;
    const hit = (rt.hits.get(path) ?? 0) + 1;
    rt.hits.set(path, hit);
    try {
      if (rt.spec.latencyMs) await delay(rt.spec.latencyMs);
      if (res.destroyed) return;
      await route(req, res, { host: rt.spec.name, hit });
    } catch (error) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`simulator route failed: ${String(error)}`);
      } else {
        res.destroy();
      }
    }
  };

  const addHost = async (spec: SimHost): Promise<void> => {
    const name = spec.name.toLowerCase();
    if (runtimes.has(name)) throw new Error(`simulator: host ${spec.name} exists`);
    const rt: HostRuntime = {
      spec,
      address: allocate(),
      port: REFUSED_PORT,
      inFlight: 0,
      inFlightMax: 0,
      connections: 0,
      hits: new Map(),
    };
    runtimes.set(name, rt);
    if (spec.refuse) return;
    const server = createServer((req, res) => void handle(rt, req, res));
    server.on('connection', (socket) => {
      rt.connections++;
      // A client that aborts a big body resets the socket; that is expected here.
      socket.on('error', () => {});
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, rt.address, () => resolve());
    });
    rt.server = server;
    rt.port = (server.address() as AddressInfo).port;
  };

  for (const host of hosts) await addHost(host);

  const runtime = (host: string): HostRuntime => {
    const rt = runtimes.get(host.toLowerCase());
    if (!rt) throw new Error(`simulator: unknown host ${host}`);
    return rt;
  };

  const lookup = ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const all =
      typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    const rt = runtimes.get(hostname.toLowerCase());
    process.nextTick(() => {
      if (!rt) {
        const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: 'ENOTFOUND',
          errno: -3008,
          syscall: 'getaddrinfo',
          hostname,
        });
        cb(error, all ? [] : '', undefined);
      } else if (all) cb(null, [{ address: rt.address, family: 4 }]);
      else cb(null, rt.address, 4);
    });
  }) as LookupFunction;

  return {
    lookup,
    requests,
    url: (host, path = '/') => {
      const rt = runtime(host);
      return `http://${rt.spec.name}:${rt.port}${path.startsWith('/') ? path : `/${path}`}`;
    },
    inFlightMax: (host) => runtime(host).inFlightMax,
    connections: (host) => runtime(host).connections,
    addressOf: (host) => runtime(host).address,
    addHost,
    close: async () => {
      await Promise.all(
        [...runtimes.values()].map(
          (rt) =>
            new Promise<void>((resolve) => {
              if (!rt.server) return resolve();
              rt.server.closeAllConnections();
              rt.server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

const html = (title: string, text: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

const notFoundRoute: Route = (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html('Not Found', 'The requested URL was not found on this server.'));
};

/** Writes `total` bytes from a shared buffer, honouring backpressure; stops when the client leaves. */
function streamBytes(res: ServerResponse, total: number, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
      resolve();
    };
    res.once('close', () => resolve());
    pump();
  });
}

let bombCache: Promise<Buffer> | undefined;
/** Size of the gzip bomb once inflated. */
export const GZIP_BOMB_INFLATED_BYTES = 100 * 1024 * 1024;

/** 100 MiB of zeros gzipped (about 100 KB), computed once without holding the 100 MiB. */
export function gzipBomb(): Promise<Buffer> {
  bombCache ??= new Promise<Buffer>((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (c: Buffer) => parts.push(c));
    gzip.on('end', () => resolve(Buffer.concat(parts)));
    gzip.on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < GZIP_BOMB_INFLATED_BYTES / zeros.length; i++) gzip.write(zeros);
    gzip.end();
  });
  return bombCache;
}

const MEGA_CHUNK = Buffer.alloc(64 * 1024, 'a');

/** Ready-made routes for the situations the checker must classify. */
export const behaviours = {
  /** 200 with an HTML page. */
  ok(body: string = html('A live page', 'This page is alive and well.')): Route {
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    };
  },
  /** 200 with an HTML page of about `bytes` bytes (for byte accounting). */
  page(bytes: number, title = 'A live page'): Route {
    const filler = 'x'.repeat(Math.max(0, bytes - html(title, '').length));
    const body = html(title, filler);
    return behaviours.ok(body);
  },
  /** Any status, body and headers. */
  status(code: number, body = '', headers: Record<string, string> = {}): Route {
    return (_req, res) => {
      res.writeHead(code, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
  },
  /** 200 with a JSON body (service simulations). */
  json(value: unknown, code = 200, headers: Record<string, string> = {}): Route {
    return (_req, res) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
  },
  notFound(): Route {
    return notFoundRoute;
  },
  gone(): Route {
    return behaviours.status(410, html('Gone', 'This page was removed.'));
  },
  /** A 200 that says "not found". */
  soft404(): Route {
    return behaviours.ok(html('Page not found', 'Sorry, the page you were looking for could not be found.'));
  },
  /** A redirect to `to` (absolute, or relative to the request). */
  redirect(to: string, code = 301): Route {
    return (_req, res) => {
      res.writeHead(code, { location: to });
      res.end();
    };
  },
  /** `?left=N` redirects N times (relative Locations) before landing on `final`. */
  redirectChain(final: string, code = 302): Route {
    return (req, res) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const left = Number(url.searchParams.get('left') ?? '0');
      const to = left > 0 ? `${url.pathname}?left=${left - 1}` : final;
      res.writeHead(code, { location: to });
      res.end();
    };
  },
  /** Redirects between `path` and `path?again` forever. */
  redirectLoop(code = 302): Route {
    return (req, res) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      res.writeHead(code, { location: url.search === '' ? `${url.pathname}?again` : url.pathname });
      res.end();
    };
  },
  redirectToRoot(code = 301): Route {
    return behaviours.redirect('/', code);
  },
  /** Closes the socket without an answer. */
  reset(): Route {
    return (req) => {
      req.socket.destroy();
    };
  },
  /** Answers after `ms` (a client with a shorter headers timeout gives up first). */
  slowHeaders(ms: number, then: Route = behaviours.ok()): Route {
    return async (req, res, ctx) => {
      await Promise.race([delay(ms), new Promise((resolve) => res.once('close', resolve))]);
      if (!res.destroyed) await then(req, res, ctx);
    };
  },
  /** Headers at once, then `chunk` every `intervalMs`, `chunks` times. */
  trickle(chunks = 100, intervalMs = 100, chunk = 'z'): Route {
    return async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.flushHeaders();
      for (let i = 0; i < chunks && !res.destroyed; i++) {
        res.write(chunk);
        await delay(intervalMs);
      }
      if (!res.destroyed) res.end();
    };
  },
  /** A `bytes`-long body (100 MiB by default), streamed, never held in memory. */
  huge(bytes = 100 * 1024 * 1024): Route {
    return async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(bytes) });
      await streamBytes(res, bytes, MEGA_CHUNK);
    };
  },
  /** About 100 KB of gzip that inflates to 100 MiB. */
  gzipBomb(): Route {
    return async (_req, res) => {
      const bomb = await gzipBomb();
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-encoding': 'gzip',
        'content-length': String(bomb.length),
      });
      res.end(bomb);
    };
  },
  /** `body` compressed with `encoding`. */
  compressed(body: string, encoding: 'gzip' | 'deflate' | 'br'): Route {
    const data =
      encoding === 'gzip' ? gzipSync(body) : encoding === 'br' ? brotliCompressSync(body) : deflateSync(body);
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding });
      res.end(data);
    };
  },
  /**
   * 429 with `Retry-After` for the first `times` hits, then `then`. `form: 'date'` sends an
   * HTTP date `seconds` from the time of the answer, on `now`'s clock: a test that drives the
   * fetcher with a virtual clock passes that clock's `now`, or the date would be reckoned from
   * the wall clock, which has moved on while the virtual one stood still.
   */
  rateLimited(
    options: {
      seconds?: number;
      form?: 'seconds' | 'date';
      times?: number;
      then?: Route;
      now?: () => number;
    } = {},
  ): Route {
    const { seconds = 1, form = 'seconds', times = 1, then = behaviours.ok(), now = Date.now } = options;
    return (req, res, ctx) => {
      if (ctx.hit > times) return then(req, res, ctx);
      const retryAfter =
        form === 'seconds' ? String(seconds) : new Date(now() + seconds * 1000).toUTCString();
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': retryAfter });
      res.end('Too Many Requests');
    };
  },
  /** 503 for the first `times` hits (with `Retry-After` when given), then `then`. */
  unavailableThenOk(times = 1, retryAfterSeconds?: number, then: Route = behaviours.ok()): Route {
    return (req, res, ctx) => {
      if (ctx.hit > times) return then(req, res, ctx);
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      res.writeHead(503, headers);
      res.end('Service Unavailable');
    };
  },
  /** HEAD gets `headStatus` (405 or 404) while GET works. */
  headQuirk(headStatus: 404 | 405 = 405, get: Route = behaviours.ok()): Route {
    return (req, res, ctx) => {
      if (req.method !== 'HEAD') return get(req, res, ctx);
      res.writeHead(headStatus, headStatus === 405 ? { allow: 'GET' } : {});
      res.end();
    };
  },
  /** A bot challenge page, as Cloudflare serves it. */
  challenge(): Route {
    return behaviours.status(403, html('Just a moment...', 'Checking your browser before accessing.'), {
      'cf-mitigated': 'challenge',
    });
  },
};

/**
 * A virtual clock for `now`/`sleep` injection: `sleep(ms)` resolves when virtual time reaches
 * its end; virtual time jumps to the earliest pending timer on each turn of the event loop.
 * Tests never wait on real time, and timers fire in order.
 */
export interface TestClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every `sleep` asked for, in milliseconds. */
  readonly sleeps: number[];
}

export function createTestClock(start = Date.now()): TestClock {
  let time = start;
  const timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  const sleeps: number[] = [];
  let seq = 0;
  let driving = false;
  const step = (): void => {
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = timers.shift();
    if (!timer) {
      driving = false;
      return;
    }
    time = Math.max(time, timer.at);
    timer.resolve();
    setImmediate(step);
  };
  return {
    now: () => time,
    sleeps,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        timers.push({ at: time + Math.max(0, ms), seq: seq++, resolve });
        if (!driving) {
          driving = true;
          setImmediate(step);
        }
      }),
  };
}
