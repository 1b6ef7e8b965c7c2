/**
 * The link-rot issue, derived from the confirmed-dead set of the reports rather than from one
 * run's "newly dead" list: the issue body carries a hidden list of the links it has announced,
 * so "news" is every link that is dead now and was not announced yet. A night whose issue step
 * never ran (a failed push, a re-run, GitHub down) loses nothing: the next night finds the link
 * still dead and still unannounced.
 *
 * The body is cut to GitHub's 65,536 characters with the news first; a link too many for the
 * hidden list is simply not recorded as announced (announced again later, never lost).
 */
import { createHash } from 'node:crypto';
import type { Report } from '../model.js';
import { escapeMarkdown, linkUrl } from './escape.js';
import { charLength, ISSUE_BODY_LIMIT } from './github-limits.js';

/** The hidden first line that marks an issue as citewatch's own (`scripts/file-issue.sh`). */
export const ISSUE_MARKER = '<!-- citewatch:link-rot -->';

/** The title of the link-rot issue. */
export const ISSUE_TITLE = 'Link rot: citations need attention';

const ANNOUNCED_PREFIX = '<!-- citewatch:announced v1 ';
const ANNOUNCED_SUFFIX = ' -->';
/** Characters of one announced link in the hidden list (4 bytes of SHA-256, base64url). */
const HASH_CHARS = 6;

/** A confirmed-dead link of one article. */
export interface DeadLink {
  article: string;
  url: string;
  /** First failed check of the current streak. */
  since?: string;
}

/** The hidden identity of an announced link: article and URL. */
export const announcementKey = (link: Pick<DeadLink, 'article' | 'url'>): string =>
  createHash('sha256')
    .update(`${link.article}\u0000${link.url}`)
    .digest()
    .subarray(0, 4)
    .toString('base64url');

/** Every confirmed-dead link of the reports, once per article and URL, in report order. */
export function deadLinks(reports: readonly Report[]): DeadLink[] {
  const out: DeadLink[] = [];
  const seen = new Set<string>();
  for (const report of reports)
    for (const ref of report.article.references)
      for (const link of ref.links) {
        if (link.check?.verdict !== 'dead') continue;
        const key = `${report.article.title}\u0000${link.url}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          article: report.article.title,
          url: link.url,
          ...(link.check.since !== undefined && { since: link.check.since }),
        });
      }
  return out;
}

/** The links an earlier body of the issue announced (empty for a body without the list). */
export function announcedIn(body: string): Set<string> {
  const start = body.lastIndexOf(ANNOUNCED_PREFIX);
  if (start < 0) return new Set();
  const end = body.indexOf(ANNOUNCED_SUFFIX, start + ANNOUNCED_PREFIX.length);
  if (end < 0) return new Set();
  const list = body.slice(start + ANNOUNCED_PREFIX.length, end).trim();
  const keys = new Set<string>();
  for (let i = 0; i + HASH_CHARS <= list.length; i += HASH_CHARS) keys.add(list.slice(i, i + HASH_CHARS));
  return keys;
}

export interface IssueOptions {
  /** The current body of the open citewatch issue, if there is one. */
  previousBody?: string;
  /** The workflow run's page, for everything the body has no room for. */
  runUrl?: string;
  /** @default 65536 (ISSUE_BODY_LIMIT) */
  limit?: number;
}

export interface IssueRender {
  /** The whole issue body, marker first and the hidden announced list last. */
  body: string;
  /** Dead links announced for the first time by this body (to notify about, e.g. in a comment). */
  fresh: DeadLink[];
  /** A short comment naming the fresh links (and new unsourced claims), or '' when none. */
  comment: string;
  /** Dead links now, and new unsourced claims of this run. */
  dead: number;
  newUnsourced: number;
}

const line = (d: DeadLink): string =>
  `- ${escapeMarkdown(d.article)}: ${linkUrl(d.url)}${d.since ? ` (failing since ${d.since.slice(0, 10)})` : ''}`;

/** Adds lines while they fit `budget` characters; returns how many did not. */
function addWhileFits(out: string[], lines: readonly string[], fits: (extra: string) => boolean): number {
  let left = lines.length;
  for (const l of lines) {
    if (!fits(`${l}\n`)) break;
    out.push(l);
    left--;
  }
  return left;
}

/**
 * The issue body for the reports: links dead and not yet announced first, then new unsourced
 * claims, then every dead link, then the hidden lists. Within `limit` characters.
 */
export function renderIssue(reports: readonly Report[], options: IssueOptions = {}): IssueRender {
  const limit = options.limit ?? ISSUE_BODY_LIMIT;
  const previous = announcedIn(options.previousBody ?? '');
  const dead = deadLinks(reports);
  const keyed = dead.map((d) => ({ d, key: announcementKey(d) }));
  const carried = keyed.filter((k) => previous.has(k.key));
  const unannounced = keyed.filter((k) => !previous.has(k.key));
  const newUnsourced = reports.reduce((n, r) => n + (r.changes?.newUnsourcedClaims ?? 0), 0);
  const now = reports
    .map((r) => r.run.now)
    .sort()
    .at(-1);
  const where = options.runUrl ? `[the workflow run](${options.runUrl})` : "the workflow run's reports";

  const head = [
    ISSUE_MARKER,
    `**${dead.length} dead link${dead.length === 1 ? '' : 's'}** in ${reports.length} article${reports.length === 1 ? '' : 's'}${now ? `, as of the run of ${now.slice(0, 16).replace('T', ' ')} UTC` : ''}. Full reports: ${where}.`,
    '',
  ];
  // Room for the hidden list: the carried keys, plus one key for each fresh line shown.
  const footerFor = (keys: number): number =>
    ANNOUNCED_PREFIX.length + keys * HASH_CHARS + ANNOUNCED_SUFFIX.length + 2;
  const moreLine = (n: number, what: string): string => `- …and ${n} more ${what}: see ${where}.`;
  const reserve = 400; // for the "…and N more" lines
  const out = [...head];
  let size = charLength(`${out.join('\n')}\n`);
  const fits = (extra: string, keys: number): boolean =>
    size + charLength(extra) + footerFor(keys) + reserve <= limit;
  const shownFresh: typeof unannounced = [];

  if (unannounced.length > 0) {
    out.push('## Newly dead (not announced before)', '');
    size += charLength('## Newly dead (not announced before)\n\n');
    for (const k of unannounced) {
      const l = `${line(k.d)}\n`;
      if (!fits(l, carried.length + shownFresh.length + 1)) break;
      out.push(l.trimEnd());
      size += charLength(l);
      shownFresh.push(k);
    }
    const left = unannounced.length - shownFresh.length;
    if (left > 0) out.push(moreLine(left, 'newly dead links (announced in a later update)'));
    out.push('');
  }
  if (newUnsourced > 0) {
    out.push(
      `## New unsourced claims`,
      '',
      `${newUnsourced} claim${newUnsourced === 1 ? '' : 's'} lost ${newUnsourced === 1 ? 'its' : 'their'} citation or got a "citation needed" since the last run.`,
      '',
    );
  }
  size = charLength(`${out.join('\n')}\n`);
  const keys = carried.length + shownFresh.length;
  if (dead.length > 0) {
    out.push(`## All dead links (${dead.length})`, '');
    size += charLength(`## All dead links (${dead.length})\n\n`);
    const rest: string[] = [];
    const left = addWhileFits(rest, dead.map(line), (extra) => {
      if (!fits(extra, keys)) return false;
      size += charLength(extra);
      return true;
    });
    out.push(...rest);
    if (left > 0) out.push(moreLine(left, 'dead links'));
    out.push('');
  } else out.push('No dead link now.', '');
  const announced = [...carried, ...shownFresh].map((k) => k.key).join('');
  out.push(`${ANNOUNCED_PREFIX}${announced}${ANNOUNCED_SUFFIX}`);
  const body = `${out.join('\n')}\n`;

  const fresh = shownFresh.map((k) => k.d);
  const commentLines: string[] = [];
  if (fresh.length > 0 || newUnsourced > 0) {
    commentLines.push(ISSUE_MARKER);
    if (fresh.length > 0) {
      commentLines.push(`${fresh.length} link${fresh.length === 1 ? '' : 's'} newly dead:`, '');
      let used = 0;
      let shown = 0;
      for (const d of fresh) {
        const l = line(d);
        if (used + charLength(l) + 1 > limit - 1000) break;
        commentLines.push(l);
        used += charLength(l) + 1;
        shown++;
      }
      if (shown < fresh.length) commentLines.push(moreLine(fresh.length - shown, 'newly dead links'));
    }
    if (newUnsourced > 0)
      commentLines.push('', `${newUnsourced} new unsourced claim${newUnsourced === 1 ? '' : 's'}.`);
  }
  const comment = commentLines.length > 0 ? `${commentLines.join('\n')}\n` : '';
  return { body, fresh, comment, dead: dead.length, newUnsourced };
}
