/**
 * A reproducible link-checking workload: links spread over hosts by a Zipf law (a few hosts
 * hold most links, as in real reference lists), a mix of live pages, 404/410, soft 404s,
 * redirects to a moved site and HEAD-hostile servers, and the simulator hosts that serve it.
 * Shared by the fetcher benchmark and any comparison with other checkers (e.g. linkinator).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route, SimHost } from '../tests/support/simulator.js';
import { EXPECTED } from './child-common.mjs';

export type LinkKind = 'ok' | 'not-found' | 'gone' | 'soft-404' | 'moved' | 'head-405';

export interface WorkloadLink {
  host: string;
  /** Path on `host`; the simulator reads kind and size from it. */
  path: string;
  kind: LinkKind;
  /** Body bytes the page has. */
  bytes: number;
}

export interface Workload {
  /** Hosts by decreasing number of links. */
  hosts: Array<{ name: string; links: number }>;
  links: WorkloadLink[];
}

export interface WorkloadOptions {
  /** @default 2000 */
  links?: number;
  /** @default 50 */
  hosts?: number;
  /** Zipf exponent: 1 gives the heaviest of 50 hosts ≈ 445 of 2000 links. @default 1 */
  exponent?: number;
  /** @default 42 */
  seed?: number;
  /** Smallest and largest page body. @default [8192, 65536] */
  pageBytes?: [number, number];
}

/** Share of each kind, in order; the rest are live pages. */
const MIX: ReadonlyArray<[LinkKind, number]> = [
  ['not-found', 0.07],
  ['gone', 0.02],
  ['soft-404', 0.03],
  ['moved', 0.05],
  ['head-405', 0.03],
];

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Links per host under a Zipf law, rounded by largest remainder so they sum to `links`. */
export function zipfCounts(links: number, hosts: number, exponent = 1): number[] {
  const weights = Array.from({ length: hosts }, (_, i) => 1 / (i + 1) ** exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (links * w) / total);
  const counts = exact.map(Math.floor);
  let left = links - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

export const hostName = (i: number): string => `site${String(i).padStart(2, '0')}.bench.test`;
/** Where `moved` links land: the site's new domain, a different host. */
export const movedHostName = (host: string): string => `new-${host}`;

export function generateWorkload(options: WorkloadOptions = {}): Workload {
  const { links = 2000, hosts = 50, exponent = 1, seed = 42, pageBytes = [8192, 65536] } = options;
  const random = seededRandom(seed);
  const counts = zipfCounts(links, hosts, exponent);
  const result: Workload = { hosts: counts.map((n, i) => ({ name: hostName(i), links: n })), links: [] };
  counts.forEach((n, h) => {
    for (let j = 0; j < n; j++) {
      const roll = random();
      let kind: LinkKind = 'ok';
      let acc = 0;
      for (const [k, share] of MIX) {
        acc += share;
        if (roll < acc) {
          kind = k;
          break;
        }
      }
      const bytes = Math.round(pageBytes[0] + random() * (pageBytes[1] - pageBytes[0]));
      result.links.push({ host: hostName(h), path: `/l/${kind}/${bytes}/${j}`, kind, bytes });
    }
  });
  // Interleave hosts as a reference list would, deterministically.
  for (let i = result.links.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [result.links[i], result.links[k]] = [result.links[k]!, result.links[i]!];
  }
  return result;
}

/** What the simulated sites sent: body bytes of every page answered to a GET. */
export interface WorkloadMeter {
  bodyBytes: number;
}

const FILLER = Buffer.alloc(1024 * 1024, 'x');
const page = (
  res: ServerResponse,
  status: number,
  title: string,
  bytes: number,
  meter: WorkloadMeter | undefined,
): void => {
  const head = Buffer.from(`<!doctype html><html><head><title>${title}</title></head><body><p>`);
  const tail = Buffer.from('</p></body></html>');
  const fill = Math.max(0, Math.min(FILLER.length, bytes - head.length - tail.length));
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(head.length + fill + tail.length),
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  if (meter) meter.bodyBytes += head.length + fill + tail.length;
  // One write to the socket for headers and body, as a server sending a page usually does.
  res.cork();
  res.write(head);
  res.write(FILLER.subarray(0, fill));
  res.end(tail);
};

/** Serves `/l/<kind>/<bytes>/<n>` paths; pages are slices of one shared buffer. */
export function workloadRoute(movedTo: (path: string) => string, meter?: WorkloadMeter): Route {
  return (req: IncomingMessage, res: ServerResponse) => {
    const [, , kind = 'ok', size = '8192'] = (req.url ?? '/').split('/');
    const bytes = Number(size);
    switch (kind as LinkKind) {
      case 'not-found':
        return page(res, 404, 'Not Found', 1024, meter);
      case 'gone':
        return page(res, 410, 'Gone', 1024, meter);
      case 'soft-404':
        return page(res, 200, 'Page not found', bytes, meter);
      case 'moved':
        res.writeHead(301, { location: movedTo((req.url ?? '/').replace('/l/moved/', '/l/ok/')) });
        return void res.end();
      case 'head-405':
        if (req.method === 'HEAD') {
          res.writeHead(405, { allow: 'GET' });
          return void res.end();
        }
        return page(res, 200, 'A live page', bytes, meter);
      default:
        return page(res, 200, 'A live page', bytes, meter);
    }
  };
}

/**
 * The simulator hosts for a workload: each site, and its new domain for `moved` links.
 * `urlOf` is filled in once the simulator knows its ports; `meter` counts the body bytes sent.
 */
export function workloadHosts(
  workload: Workload,
  latencyMs: number,
  urlOf: (host: string, path: string) => string,
  meter?: WorkloadMeter,
): SimHost[] {
  return workload.hosts.flatMap(({ name }) => [
    { name, latencyMs, fallback: workloadRoute((path) => urlOf(movedHostName(name), path), meter) },
    { name: movedHostName(name), latencyMs, fallback: workloadRoute(() => '/', meter) },
  ]);
}

/**
 * The status a correct checker ends on for each kind of link (after following redirects): one
 * table, in `child-common.mjs`, which the plain-JavaScript measured processes read too.
 */
export const EXPECTED_STATUS = EXPECTED as Readonly<Record<LinkKind, number>>;
