/**
 * A `dns.lookup`-compatible function for undici's `connect.lookup` that resolves with an
 * injectable lookup and hands the socket only addresses the guard allows. The check happens
 * after resolution, on the address the socket will use, so a name that points at a private
 * address (or is rebound to one) is refused. undici never calls this for IP-literal hosts:
 * the fetcher checks those itself (see `checkLiteralHost`).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type AddressGuard, AddressNotAllowedError, canonicalAddress } from './address-guard.js';

export type { LookupFunction } from 'node:net';

export interface GuardedLookupOptions {
  guard: AddressGuard;
  /** The resolver underneath. @default node:dns `lookup` */
  lookup?: LookupFunction;
  /** Told every address a connection is about to use (for `Hop.address`). */
  onResolved?: (hostname: string, address: string) => void;
}

/**
 * Wraps a resolver so that refused addresses never reach `connect()`. When a name resolves to
 * several addresses, the refused ones are dropped and the rest are used; when none is left,
 * the callback gets an `AddressNotAllowedError`.
 */
export function createGuardedLookup(options: GuardedLookupOptions): LookupFunction {
  const base: LookupFunction = options.lookup ?? (dnsLookup as unknown as LookupFunction);
  const { guard, onResolved } = options;
  return (hostname, lookupOptions, callback) => {
    const wantsAll = (lookupOptions as LookupOptions | undefined)?.all === true;
    // Always ask for every address so the guard can pick the allowed ones.
    base(hostname, { ...lookupOptions, all: true }, (err, result) => {
      if (err) {
        callback(err, wantsAll ? [] : '', undefined);
        return;
      }
      const addresses: LookupAddress[] =
        typeof result === 'string'
          ? [{ address: result, family: canonicalAddress(result)?.family === 'ipv6' ? 6 : 4 }]
          : result;
      const allowed: LookupAddress[] = [];
      let refusal: AddressNotAllowedError | undefined;
      for (const entry of addresses) {
        const verdict = guard.check(entry.address);
        if (verdict.allowed) allowed.push(entry);
        else refusal ??= new AddressNotAllowedError(hostname, verdict.address, verdict.reason);
      }
      const first = allowed[0];
      if (first === undefined) {
        const error =
          refusal ??
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
        callback(error as NodeJS.ErrnoException, wantsAll ? [] : '', undefined);
        return;
      }
      onResolved?.(hostname, first.address);
      if (wantsAll) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks a URL host that is an IP literal (undici connects to those without a lookup).
 * Returns the refusal, or undefined when the host is a name or an allowed address.
 */
export function checkLiteralHost(hostname: string, guard: AddressGuard): AddressNotAllowedError | undefined {
  if (canonicalAddress(hostname) === undefined) return undefined;
  const verdict = guard.check(hostname);
  return verdict.allowed ? undefined : new AddressNotAllowedError(hostname, verdict.address, verdict.reason);
}
