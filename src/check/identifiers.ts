/**
 * Identifier checks for a whole run: every distinct identifier once. ISBNs, ISSNs and kinds
 * without a lookup service are validated offline (`valid`/`invalid`); DOIs, handles, PMIDs and
 * arXiv ids with a valid syntax are asked of their service (`resolves`/`unresolved`/`error`),
 * or `skipped` when the run is offline or the identifier belongs to another shard.
 */
import type { Logger } from 'pino';
import { identifierProblem } from '../core/identifiers.js';
import { isCitewatchError } from '../errors.js';
import type { IdentifierCheck, IdentifierKind } from '../model.js';
import type { Fetcher } from '../net/types.js';
import { resolveArxivIds } from './arxiv.js';
import { resolveDoi } from './doi.js';
import { resolveHandle } from './handle.js';
import { resolvePmids } from './pubmed.js';
import type { IdentifierResolution } from './service.js';

/** Kinds with a lookup service. */
export const NETWORK_IDENTIFIER_KINDS: ReadonlySet<IdentifierKind> = new Set(['doi', 'hdl', 'pmid', 'arxiv']);

export interface IdentifierEndpoints {
  doi: string;
  handle: string;
  eutils: string;
  arxiv: string;
}

export interface IdentifierRef {
  kind: IdentifierKind;
  value: string;
}

export interface IdentifierRunOptions {
  now: string;
  /** No request at all. */
  offline: boolean;
  endpoints: IdentifierEndpoints;
  /** Shard filter on the identifier's resolver URL (`resolverUrl`). @default all */
  include?: (url: string) => boolean;
}

export interface IdentifierRunDeps {
  fetcher: Fetcher;
  logger?: Logger;
}

/** `doi:10.1000/182` — the key of an identifier in maps. */
export const identifierKey = (kind: IdentifierKind, value: string): string => `${kind}:${value}`;

/**
 * The canonical public URL of an identifier: what shards filter on, so each identifier is
 * checked in exactly one shard. `undefined` for kinds without a resolver link.
 */
export function resolverUrl(kind: IdentifierKind, value: string): string | undefined {
  switch (kind) {
    case 'doi':
      return `https://doi.org/${value}`;
    case 'hdl':
      return `https://hdl.handle.net/${value}`;
    case 'pmid':
      return `https://pubmed.ncbi.nlm.nih.gov/${value}/`;
    case 'arxiv':
      return `https://arxiv.org/abs/${value}`;
    default:
      return undefined;
  }
}

function check(
  ref: IdentifierRef,
  outcome: IdentifierCheck['outcome'],
  reason: string,
  now: string,
): IdentifierCheck {
  return { kind: ref.kind, value: ref.value, outcome, reason, checkedAt: now };
}

/** The check that needs no network: `invalid` by syntax or check digit, else `valid` or the network's turn. */
export function offlineIdentifierCheck(ref: IdentifierRef, now: string): IdentifierCheck | undefined {
  const problem = identifierProblem(ref.kind, ref.value);
  if (problem) return check(ref, 'invalid', problem, now);
  if (!NETWORK_IDENTIFIER_KINDS.has(ref.kind)) return check(ref, 'valid', 'offline-validation', now);
  return undefined;
}

/** Maps an exception of a client to a resolution: API nonsense is an error of that service. */
function failure(error: unknown, logger: Logger | undefined, what: string): IdentifierResolution {
  logger?.warn({ err: error, identifier: what }, 'identifier service answered nonsense');
  return { outcome: 'error', reason: isCitewatchError(error) ? 'invalid-response' : 'client-failure' };
}

/**
 * Checks every identifier of `refs` (duplicates checked once). Returns checks by
 * `identifierKey`.
 */
export async function checkIdentifiers(
  refs: readonly IdentifierRef[],
  options: IdentifierRunOptions,
  deps: IdentifierRunDeps,
): Promise<Map<string, IdentifierCheck>> {
  const out = new Map<string, IdentifierCheck>();
  const pending = new Map<IdentifierKind, IdentifierRef[]>();
  for (const ref of refs) {
    const k = identifierKey(ref.kind, ref.value);
    if (out.has(k)) continue;
    const offline = offlineIdentifierCheck(ref, options.now);
    if (offline) {
      out.set(k, offline);
      continue;
    }
    const url = resolverUrl(ref.kind, ref.value);
    if (options.include && url !== undefined && !options.include(url)) {
      out.set(k, check(ref, 'skipped', 'other-shard', options.now));
      continue;
    }
    if (options.offline) {
      out.set(k, check(ref, 'skipped', 'offline', options.now));
      continue;
    }
    // Placeholder until the service answers; keeps duplicates from being queued twice.
    out.set(k, check(ref, 'skipped', 'pending', options.now));
    const list = pending.get(ref.kind) ?? [];
    list.push(ref);
    pending.set(ref.kind, list);
  }
  // Offline, or every identifier settled by its syntax: no service to ask.
  if (pending.size === 0) return out;
  const settle = (ref: IdentifierRef, resolution: IdentifierResolution): void => {
    out.set(
      identifierKey(ref.kind, ref.value),
      check(ref, resolution.outcome, resolution.reason, options.now),
    );
  };
  const { fetcher, logger } = deps;
  const { endpoints } = options;
  const one = (
    ref: IdentifierRef,
    resolve: (value: string) => Promise<IdentifierResolution>,
  ): Promise<void> =>
    resolve(ref.value).then(
      (resolution) => settle(ref, resolution),
      (error: unknown) => settle(ref, failure(error, logger, identifierKey(ref.kind, ref.value))),
    );
  const many = async (
    refsOfKind: IdentifierRef[],
    resolve: (values: string[]) => Promise<Map<string, IdentifierResolution>>,
  ): Promise<void> => {
    let answers: Map<string, IdentifierResolution>;
    try {
      answers = await resolve(refsOfKind.map((r) => r.value));
    } catch (error) {
      const resolution = failure(error, logger, refsOfKind[0]?.kind ?? 'batch');
      for (const ref of refsOfKind) settle(ref, resolution);
      return;
    }
    for (const ref of refsOfKind) {
      settle(ref, answers.get(ref.value) ?? { outcome: 'error', reason: 'no-answer' });
    }
  };
  await Promise.all([
    ...(pending.get('doi') ?? []).map((ref) => one(ref, (v) => resolveDoi(fetcher, endpoints.doi, v))),
    ...(pending.get('hdl') ?? []).map((ref) => one(ref, (v) => resolveHandle(fetcher, endpoints.handle, v))),
    many(pending.get('pmid') ?? [], (values) =>
      values.length === 0 ? Promise.resolve(new Map()) : resolvePmids(fetcher, endpoints.eutils, values),
    ),
    many(pending.get('arxiv') ?? [], (values) =>
      values.length === 0 ? Promise.resolve(new Map()) : resolveArxivIds(fetcher, endpoints.arxiv, values),
    ),
  ]);
  return out;
}
