/**
 * What an editor could do about a link, in the exact wikitext to type. Pure: the clock is a
 * parameter.
 */
import type { Link, LinkCheck, Reference } from '../model.js';
import { archiveParams, deadLinkTemplate, paramSafe, snapshotDate } from './format.js';

/**
 * The fix for a link whose verdict is confirmed `dead`:
 * - a snapshot is known: the CS1 parameters `|archive-url=… |archive-date=… |url-status=dead`
 *   (for a cited `url=`), or `{{webarchive |url=… |date=…}}` after any other link;
 * - the reference already has an archive copy: `|url-status=dead`, so readers get the copy;
 * - no copy anywhere, and the archive said so (`snapshotLookup: 'none'`):
 *   `{{dead link|date=Month YYYY}}`, the month of `now`. A lookup that failed or was never made
 *   proves nothing — a good capture may exist — so it gets no suggestion until the archive answers.
 *
 * `undefined` when there is nothing to do: the link is not confirmed dead, or the reference
 * already says all of it (`url-status=dead` with an archive, or a `{{dead link}}` tag).
 */
export function suggestFix(
  reference: Reference,
  link: Link,
  check: LinkCheck,
  now: string,
): string | undefined {
  if (check.verdict !== 'dead') return undefined;
  const cited = link.role === 'source';
  if (cited && reference.archive.present && reference.archive.url) {
    return reference.urlStatus === 'dead' ? undefined : '|url-status=dead';
  }
  const snapshot = check.snapshot;
  if (snapshot) {
    return cited
      ? archiveParams(snapshot, 'dead')
      : `{{webarchive |url=${paramSafe(snapshot.url)} |date=${snapshotDate(snapshot)}}}`;
  }
  if (reference.deadLinkTag || check.snapshotLookup !== 'none') return undefined;
  return deadLinkTemplate(now);
}
