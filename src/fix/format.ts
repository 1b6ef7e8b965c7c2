/** How fixes are written in wikitext: shared by the suggestions and the patch. Pure. */
import { monthYear } from '../core/dates.js';
import type { Snapshot } from '../model.js';

/**
 * Characters a URL-valued template parameter must not carry raw: `|` ends the parameter, `{{ }}`
 * and `[[ ]]` open or close templates and links, `<` opens tags (`<ref>`, `<script>`), `>` and `"`
 * end attributes, whitespace and control characters end a URL or the line, and `~~~` would
 * become a signature when the page is saved. They are percent-encoded, which leaves a URL meaning
 * the same thing; `%` itself is kept, so an already encoded URL is not encoded twice.
 */
const UNSAFE_IN_PARAM = /[|{}[\]<>"\s\u0000-\u001f\u007f\u0085\u2028\u2029]/gu;

const percent = (ch: string): string =>
  [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** A value as a template parameter can hold it, with nothing in it that could end or open markup. */
export const paramSafe = (value: string): string =>
  value.replace(UNSAFE_IN_PARAM, percent).replace(/~~~/g, '%7E%7E%7E');

/** The snapshot's date, `YYYY-MM-DD`, from its Wayback timestamp (`20240305123456`); digits only. */
export function snapshotDate(snapshot: Snapshot): string {
  const t = snapshot.timestamp.replace(/\D/g, '');
  return `${t.slice(0, 4)}-${t.slice(4, 6) || '01'}-${t.slice(6, 8) || '01'}`;
}

/** CS1 parameters that point a cited `url=` at its archive copy. */
export const archiveParams = (snapshot: Snapshot, urlStatus: 'dead' | 'live'): string =>
  `|archive-url=${paramSafe(snapshot.url)} |archive-date=${snapshotDate(snapshot)} |url-status=${urlStatus}`;

/** `{{dead link|date=Month YYYY…}}` for a fix made on `date` (ISO date or instant). */
export const deadLinkTemplate = (date: string, extra = ''): string =>
  `{{dead link|date=${monthYear(date.slice(0, 10))}${extra}}}`;
