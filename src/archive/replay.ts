/**
 * Which archive replay URLs citewatch believes. A snapshot URL ends up in reports, in the
 * history and — through `--patch` — in an encyclopedia article, so an archive answer is taken
 * only when it is exactly the shape of a Wayback replay: `https://web.archive.org/web/<14
 * digits>/<http(s) URL>` (or the configured archive's origin, for tests and mirrors), the
 * timestamp in the URL equal to the one reported, the archived page on the host that was asked
 * about, and no character that could end a template parameter, a link or an HTML attribute.
 * Anything else is a hostile or broken answer, never a snapshot. Pure.
 */
import { z } from 'zod';
import type { Snapshot } from '../model.js';

/** The Wayback Machine's replay origin. */
export const WAYBACK_REPLAY_ORIGIN = 'https://web.archive.org';

/** A Wayback timestamp as every API writes it: `YYYYMMDDhhmmss`. */
export const WaybackTimestamp = z.string().regex(/^\d{14}$/, 'expected a 14-digit Wayback timestamp');

/** Longest replay URL taken (archived URLs past this are abuse, not citations). */
const MAX_REPLAY_URL = 4096;

/**
 * `<origin>/web/<timestamp><optional flag like id_>/<archived URL>`. Characters allowed in the
 * archived URL: printable ASCII except whitespace and `"<>[]{}|\^\``, which would break out of
 * wikitext or HTML; anything else must come percent-encoded.
 */
const REPLAY_SHAPE =
  /^(https?:\/\/[^/?#\s]+)\/web\/(\d{14})(?:[a-z]{2}_)?\/(https?:\/\/[!#$%&'()*+,\-./0-9:;=?@A-Z_a-z~]+)$/;

/** `www.example.com:80` and `example.com` are one site to the archive. */
function siteOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.hostname.toLowerCase().replace(/^www\d*\./, '');
  } catch {
    return undefined;
  }
}

export interface ReplayCheck {
  /** The URL whose capture was asked for. */
  asked: string;
  /** Origins (besides `https://web.archive.org`) whose replay URLs are taken: the configured endpoints'. */
  origins?: readonly string[];
}

/**
 * The snapshot if `url`/`timestamp` are a well-formed replay of `check.asked`, served over
 * https when it is the Wayback Machine's own (the availability API still answers `http://`);
 * otherwise why not.
 */
export function validReplay(
  url: string,
  timestamp: string,
  check: ReplayCheck,
): { snapshot: Snapshot } | { problem: string } {
  if (!WaybackTimestamp.safeParse(timestamp).success) return { problem: 'timestamp is not 14 digits' };
  if (url.length > MAX_REPLAY_URL) return { problem: 'replay URL too long' };
  // Non-ASCII letters are legitimate in archived URLs (IRIs); written percent-encoded they mean
  // the same and cannot be mistaken for markup. Everything else outside the shape is refused.
  let iri: string;
  try {
    iri = url.replace(/[^\x00-\x7f]+/gu, (s) => encodeURIComponent(s));
  } catch {
    return { problem: 'replay URL is not well-formed text' };
  }
  const match = REPLAY_SHAPE.exec(iri);
  if (!match) return { problem: 'not a Wayback replay URL' };
  const [, rawOrigin, urlTimestamp, archived] = match as unknown as [string, string, string, string];
  if (urlTimestamp !== timestamp) return { problem: 'replay URL and timestamp disagree' };
  let origin: string;
  try {
    origin = new URL(rawOrigin).origin;
  } catch {
    return { problem: 'not a Wayback replay URL' };
  }
  const wayback = origin === WAYBACK_REPLAY_ORIGIN || origin === 'http://web.archive.org';
  const allowed = (check.origins ?? []).some((o) => {
    try {
      return new URL(o).origin === origin;
    } catch {
      return false;
    }
  });
  if (!wayback && !allowed) return { problem: `replay URL on a foreign host (${origin})` };
  const askedSite = siteOf(check.asked);
  if (askedSite !== undefined && siteOf(archived) !== askedSite)
    return { problem: 'replay URL of another site' };
  const secure = wayback ? iri.replace(/^http:\/\//i, 'https://') : iri;
  return { snapshot: { url: secure, timestamp } };
}

/** `validReplay` for data read back (history, old reports): the snapshot or `undefined`. */
export function trustedSnapshot(snapshot: Snapshot, check: ReplayCheck): Snapshot | undefined {
  const result = validReplay(snapshot.url, snapshot.timestamp, check);
  return 'snapshot' in result ? result.snapshot : undefined;
}
