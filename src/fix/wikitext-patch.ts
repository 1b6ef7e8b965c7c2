/**
 * Applies dead-link fixes to wikitext, changing only the characters of each fix: the CS1
 * template whose `url=` is the dead URL gets `|archive-url= |archive-date= |url-status=dead`
 * (or only `url-status=dead` when it already has an archive), and without a snapshot the
 * citation or bare link gets `{{dead link|date=Month YYYY|bot=citewatch}}` after it. A template
 * or link followed by `{{cbignore}}` is left alone. Everything else stays byte-identical. Pure.
 */
import type { Snapshot } from '../model.js';
import { deadLinkTemplate, paramSafe, snapshotDate } from './format.js';
import {
  findTemplates,
  isCitationTemplate,
  maskInert,
  type Template,
  type TemplateParam,
  templateAfter,
} from './templates.js';

export interface WikitextFix {
  /** The dead URL, as cited. */
  url: string;
  /** A replacement copy; without one the link is tagged `{{dead link}}`. */
  snapshot?: Snapshot;
  /** The date of the fix (ISO date or instant): the month of `{{dead link}}`. */
  date: string;
}

export type PatchAction = 'archive-added' | 'url-status-set' | 'dead-link-tagged' | 'webarchive-added';
export type SkipReason = 'cbignore' | 'already-marked' | 'not-found';

export interface PatchResult {
  text: string;
  /** One entry per place changed. */
  applied: Array<{ url: string; action: PatchAction }>;
  /** One entry per place left alone, and one per fix whose URL is nowhere in the text. */
  skipped: Array<{ url: string; reason: SkipReason }>;
}

interface Edit {
  at: number;
  /** Characters replaced from `at` (0 for an insertion). */
  length: number;
  text: string;
}

const ARCHIVE_URL = ['archive-url', 'archiveurl'];
const ARCHIVE_DATE = ['archive-date', 'archivedate'];
const URL_STATUS = ['url-status', 'urlstatus'];
const CBIGNORE = /^(?:cbignore|cbignore\/sandbox|bots ignore)$/;
const DEAD_LINK = /^(?:dead link|deadlink|dead|broken link|404|dl)$/;
const WEBARCHIVE = /^(?:webarchive|wayback|web archive)$/;
/** Where a URL ends in wikitext. */
const URL_END = /[\s\]<>|{}"]/;

const deadLinkTag = (date: string): string => deadLinkTemplate(date, '|bot=citewatch');

const sameUrl = (a: string, b: string): boolean => {
  const norm = (s: string): string => s.trim().replace(/&amp;/g, '&');
  return norm(a) === norm(b);
};

const param = (t: Template, names: readonly string[]): TemplateParam | undefined =>
  t.params.find((p) => names.includes(p.name));

/**
 * New parameters in the template's own style: the spacing around `|` and `=` of its last
 * parameter, inserted after that parameter's value (before any whitespace ahead of `}}`).
 */
function appendParams(t: Template, params: Array<[string, string]>): Edit {
  const last = t.params[t.params.length - 1]!;
  const named = [...t.params].reverse().find((p) => p.name !== '') ?? last;
  const text = params
    .map(
      ([name, value]) =>
        `${last.before}|${named.afterPipe}${name}${named.beforeEquals}=${named.afterEquals}${paramSafe(value)}`,
    )
    .join('');
  return { at: last.valueEnd, length: 0, text };
}

const setValue = (p: TemplateParam, value: string): Edit => ({
  at: p.valueStart,
  length: p.valueEnd - p.valueStart,
  text: paramSafe(value),
});

/** The edits for one citation template citing the dead URL, or why there are none. */
function fixTemplate(
  t: Template,
  fix: WikitextFix,
  templates: readonly Template[],
  masked: string,
): { edits: Edit[]; action: PatchAction } | SkipReason {
  if (templateAfter(templates, masked, t.end, CBIGNORE)) return 'cbignore';
  const archive = param(t, ARCHIVE_URL);
  const status = param(t, URL_STATUS);
  if (archive && archive.value !== '') {
    if (status?.value.toLowerCase() === 'dead') return 'already-marked';
    return {
      edits: [status ? setValue(status, 'dead') : appendParams(t, [['url-status', 'dead']])],
      action: 'url-status-set',
    };
  }
  if (fix.snapshot) {
    const edits: Edit[] = [];
    const missing: Array<[string, string]> = [];
    const put = (names: string[], value: string): void => {
      const p = param(t, names);
      if (p) edits.push(setValue(p, value));
      else missing.push([names[0]!, value]);
    };
    put(ARCHIVE_URL, fix.snapshot.url);
    put(ARCHIVE_DATE, snapshotDate(fix.snapshot));
    put(URL_STATUS, 'dead');
    if (missing.length > 0) edits.push(appendParams(t, missing));
    return { edits, action: 'archive-added' };
  }
  if (templateAfter(templates, masked, t.end, DEAD_LINK)) return 'already-marked';
  return { edits: [{ at: t.end, length: 0, text: deadLinkTag(fix.date) }], action: 'dead-link-tagged' };
}

/** Bare or bracketed occurrences of `url` outside any template, with where a tag would go. */
function bareOccurrences(
  masked: string,
  url: string,
  templates: readonly Template[],
): Array<{ start: number; after: number }> {
  const out: Array<{ start: number; after: number }> = [];
  const variants = new Set([url, url.replace(/&/g, '&amp;')]);
  for (const variant of variants) {
    for (let i = masked.indexOf(variant); i >= 0; i = masked.indexOf(variant, i + 1)) {
      const end = i + variant.length;
      if (end < masked.length && !URL_END.test(masked[end]!)) continue;
      if (i > 0 && /[\w/:.%-]/.test(masked[i - 1]!)) continue;
      if (templates.some((t) => t.start < i && end <= t.end)) continue;
      let after = end;
      if (masked[i - 1] === '[') {
        const close = masked.indexOf(']', end);
        const newline = masked.indexOf('\n', end);
        if (close < 0 || (newline >= 0 && newline < close)) continue;
        after = close + 1;
      }
      out.push({ start: i, after });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function patchWikitext(text: string, fixes: readonly WikitextFix[]): PatchResult {
  const masked = maskInert(text);
  const templates = findTemplates(masked);
  const citations = templates.filter(isCitationTemplate);
  const result: PatchResult = { text, applied: [], skipped: [] };
  const edits: Edit[] = [];
  const done = new Set<string>();

  for (const fix of fixes) {
    if (done.has(fix.url)) continue;
    done.add(fix.url);
    let found = false;
    for (const t of citations) {
      const url = param(t, ['url']);
      if (!url || !sameUrl(url.value, fix.url)) continue;
      found = true;
      const outcome = fixTemplate(t, fix, templates, masked);
      if (typeof outcome === 'string') result.skipped.push({ url: fix.url, reason: outcome });
      else {
        edits.push(...outcome.edits);
        result.applied.push({ url: fix.url, action: outcome.action });
      }
    }
    for (const place of bareOccurrences(masked, fix.url, templates)) {
      found = true;
      if (templateAfter(templates, masked, place.after, CBIGNORE)) {
        result.skipped.push({ url: fix.url, reason: 'cbignore' });
      } else if (templateAfter(templates, masked, place.after, fix.snapshot ? WEBARCHIVE : DEAD_LINK)) {
        result.skipped.push({ url: fix.url, reason: 'already-marked' });
      } else if (fix.snapshot) {
        const tag = `{{webarchive |url=${paramSafe(fix.snapshot.url)} |date=${snapshotDate(fix.snapshot)}}}`;
        edits.push({ at: place.after, length: 0, text: tag });
        result.applied.push({ url: fix.url, action: 'webarchive-added' });
      } else {
        edits.push({ at: place.after, length: 0, text: deadLinkTag(fix.date) });
        result.applied.push({ url: fix.url, action: 'dead-link-tagged' });
      }
    }
    if (!found) result.skipped.push({ url: fix.url, reason: 'not-found' });
  }

  // Apply from the end so that earlier offsets stay valid.
  edits.sort((a, b) => b.at - a.at);
  let out = text;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.length);
  result.text = out;
  return result;
}
