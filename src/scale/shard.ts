/**
 * Shards: one run's links split across machines (`--shard I/N`). A URL belongs to the shard of
 * its registrable domain, so every host of a site — and every identifier service, whose
 * resolver URLs go by the same rule — is asked by one machine only, and the per-host
 * politeness of one run holds across all of them. Pure: the same URL lands in the same shard
 * on every machine and every run.
 */
import { getDomain } from '../core/lazy.js';
import { UsageError } from '../errors.js';

/** One shard of a sharded run: `index` of `count`, both 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Most shards a run can be split into (more machines than that is a mistake, not a plan). */
export const MAX_SHARDS = 1024;

/** Reads `I/N` (e.g. `2/4`); anything else, or `I` outside `1..N`, is a `UsageError`. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  if (!match) throw new UsageError(`--shard ${text}: expected I/N, e.g. 2/4`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new UsageError(`--shard ${text}: the shard count must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count)
    throw new UsageError(`--shard ${text}: the shard index must be between 1 and ${count}`);
  return { index, count };
}

/** `I/N`, as the report's `run.shard` writes a shard. */
export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * What decides a URL's shard: its registrable domain by the public suffix list
 * (`a.example.co.uk` → `example.co.uk`); the hostname for IP literals and hosts without one
 * (`localhost`, `127.0.0.1`); the raw text for what is not a URL with a host.
 */
export function shardKey(url: string): string {
  const raw = url.trim();
  let hostname: string;
  try {
    hostname = new URL(raw.startsWith('//') ? `https:${raw}` : raw).hostname;
  } catch {
    return raw;
  }
  if (hostname === '') return raw;
  // `example.com.` is `example.com`: one site, one shard.
  const host = hostname.replace(/\.+$/, '') || hostname;
  return getDomain(host) ?? host;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`: small, fast and the same everywhere. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(text)) hash = Math.imul(hash ^ byte, FNV_PRIME);
  return hash >>> 0;
}

/** The 1-based shard (of `count`) that checks `url`. */
export function shardOf(url: string, count: number): number {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shard count must be an integer ≥ 1, got ${count}`);
  return (fnv1a32(shardKey(url)) % count) + 1;
}

/** The `include` filter of `checkArticles` for one shard: true for the URLs this shard checks. */
export function shardFilter(shard: Shard): (url: string) => boolean {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count)
    throw new RangeError(`expected a shard I/N with 1 ≤ I ≤ N, got ${index}/${count}`);
  if (count === 1) return () => true;
  const keys = new Map<string, boolean>();
  return (url) => {
    const key = shardKey(url);
    let mine = keys.get(key);
    if (mine === undefined) {
      mine = (fnv1a32(key) % count) + 1 === index;
      keys.set(key, mine);
    }
    return mine;
  };
}
