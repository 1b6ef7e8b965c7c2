/**
 * The address guard: which IP addresses the fetcher may connect to. Everything that is not
 * the public Internet (loopback, private, link-local, CGNAT, multicast, reserved, documentation,
 * unspecified) is refused unless an `allowNetwork` CIDR opens it. Pure: no DNS, no sockets.
 */
import { BlockList, isIP } from 'node:net';
import { CitewatchError, ConfigError, ERROR_CODES } from '../errors.js';

type Family = 'ipv4' | 'ipv6';

interface Range {
  cidr: string;
  label: string;
}

/** IPv4 ranges that are not the public Internet (RFC 6890 and friends). */
const FORBIDDEN_V4: readonly Range[] = [
  { cidr: '0.0.0.0/8', label: 'unspecified ("this network")' },
  { cidr: '10.0.0.0/8', label: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', label: 'carrier-grade NAT (RFC 6598)' },
  { cidr: '127.0.0.0/8', label: 'loopback' },
  { cidr: '169.254.0.0/16', label: 'link-local' },
  { cidr: '172.16.0.0/12', label: 'private (RFC 1918)' },
  { cidr: '192.0.0.0/24', label: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', label: 'documentation (TEST-NET-1)' },
  { cidr: '192.88.99.0/24', label: 'reserved (6to4 relay anycast)' },
  { cidr: '192.168.0.0/16', label: 'private (RFC 1918)' },
  { cidr: '198.18.0.0/15', label: 'benchmarking' },
  { cidr: '198.51.100.0/24', label: 'documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', label: 'documentation (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', label: 'multicast' },
  { cidr: '240.0.0.0/4', label: 'reserved (incl. broadcast)' },
];

/**
 * IPv6 ranges that are not the public Internet. IPv4-mapped addresses (`::ffff:0:0/96`) never
 * reach this list: they are unwrapped and checked as IPv4, so `::ffff:127.0.0.1` is loopback.
 */
const FORBIDDEN_V6: readonly Range[] = [
  { cidr: '::/128', label: 'unspecified' },
  { cidr: '::1/128', label: 'loopback' },
  // Deprecated IPv4-compatible addresses embed an IPv4 address a connect() may still reach.
  { cidr: '::/96', label: 'reserved (IPv4-compatible)' },
  { cidr: '64:ff9b::/96', label: 'NAT64 (embeds an IPv4 address)' },
  { cidr: '64:ff9b:1::/48', label: 'NAT64 local use' },
  { cidr: '100::/64', label: 'discard-only' },
  { cidr: '2001::/23', label: 'IETF protocol assignments' },
  { cidr: '2001:db8::/32', label: 'documentation' },
  { cidr: '2002::/16', label: '6to4 (embeds an IPv4 address)' },
  { cidr: '3fff::/20', label: 'documentation' },
  { cidr: 'fc00::/7', label: 'unique local (private)' },
  { cidr: 'fe80::/10', label: 'link-local' },
  { cidr: 'fec0::/10', label: 'site-local (deprecated)' },
  { cidr: 'ff00::/8', label: 'multicast' },
];

export interface Cidr {
  address: string;
  prefix: number;
  family: Family;
}

/**
 * Parses `a.b.c.d/n`, `v6::/n`, or a bare address (a single host). Throws `ConfigError` with
 * what was expected, so a bad `--allow-network` fails at start-up.
 */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.lastIndexOf('/');
  const rawAddress = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const address = stripBrackets(rawAddress);
  const version = isIP(address);
  if (version === 0) {
    throw new ConfigError(`allowNetwork: "${text}" is not a CIDR (expected e.g. 127.0.0.0/8 or fd00::/8)`);
  }
  const max = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : trimmed.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
    throw new ConfigError(`allowNetwork: "${text}" has a prefix length outside 0..${max}`);
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

const stripBrackets = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/** Expands an IPv6 address into its eight 16-bit groups; undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const octets = tail.split('.').map(Number);
    const hi = ((octets[0] ?? 0) << 8) | (octets[1] ?? 0);
    const lo = ((octets[2] ?? 0) << 8) | (octets[3] ?? 0);
    text = `${text.slice(0, lastColon + 1)}${hi.toString(16)}:${lo.toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : undefined;
}

/**
 * The address a connection would really go to, in canonical form: brackets and zone ids
 * removed, IPv4-mapped IPv6 (`::ffff:a.b.c.d`, `::ffff:7f00:1`) turned into IPv4.
 * Undefined when `host` is not an IP address.
 */
export function canonicalAddress(host: string): { address: string; family: Family } | undefined {
  const bare = stripBrackets(host).replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return undefined;
  const groups = ipv6Groups(bare);
  if (groups === undefined) return undefined;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return { address: `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`, family: 'ipv4' };
  }
  return { address: bare, family: 'ipv6' };
}

export type AddressVerdict =
  | { allowed: true; address: string; allowedBy?: string }
  | { allowed: false; address: string; reason: string };

/** Decides whether one address may be connected to. */
export interface AddressGuard {
  check(address: string): AddressVerdict;
}

const buildList = (ranges: readonly Cidr[]): BlockList => {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return list;
};

const toCidr = (r: Range, family: Family): Cidr & { label: string } => {
  const [address = '', prefix = '0'] = r.cidr.split('/');
  return { address, prefix: Number(prefix), family, label: r.label };
};

const FORBIDDEN: ReadonlyArray<Cidr & { label: string }> = [
  ...FORBIDDEN_V4.map((r) => toCidr(r, 'ipv4')),
  ...FORBIDDEN_V6.map((r) => toCidr(r, 'ipv6')),
];
const FORBIDDEN_LIST = buildList(FORBIDDEN);
// One list per range, consulted only to name the range of a refused address.
const FORBIDDEN_LABELLED = FORBIDDEN.map((r) => ({ label: r.label, list: buildList([r]) }));

/**
 * Builds the guard once (CIDRs validated here, never on the hot path).
 * @param allowNetwork CIDRs that are allowed even though they are not public (tests pass
 *   `127.0.0.0/8`). An IPv4 CIDR also opens the IPv4-mapped IPv6 form of its addresses.
 */
export function createAddressGuard(allowNetwork: readonly string[] = []): AddressGuard {
  const allowed = allowNetwork.map(parseCidr);
  const allowList = buildList(allowed);
  return {
    check(address: string): AddressVerdict {
      const canonical = canonicalAddress(address);
      if (canonical === undefined) return { allowed: false, address, reason: 'not an IP address' };
      const { address: ip, family } = canonical;
      if (allowed.length > 0 && allowList.check(ip, family)) {
        const by = allowed.find((c) => c.family === family && buildList([c]).check(ip, family));
        return { allowed: true, address: ip, allowedBy: by ? `${by.address}/${by.prefix}` : undefined };
      }
      if (!FORBIDDEN_LIST.check(ip, family)) return { allowed: true, address: ip };
      const hit = FORBIDDEN_LABELLED.find((r) => r.list.check(ip, family));
      return { allowed: false, address: ip, reason: hit?.label ?? 'reserved' };
    },
  };
}

/** A connection was refused by the guard before it was opened. */
export class AddressNotAllowedError extends CitewatchError {
  readonly hostname: string;
  readonly address: string;
  readonly reason: string;
  constructor(hostname: string, address: string, reason: string) {
    super(
      ERROR_CODES.addressNotAllowed,
      `${hostname} resolves to ${address} (${reason}): not allowed; use --allow-network to open it`,
    );
    this.hostname = hostname;
    this.address = address;
    this.reason = reason;
  }
}
