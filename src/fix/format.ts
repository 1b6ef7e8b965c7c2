/** How fixes are written in wikitext: shared by the suggestions and the patch. Pure. */
import { monthYear } from '../core/dates.js';
import type { Snapshot } from '../model.js';

/** A value as a template parameter can hold it: `|`, `{` and `}` would end or open markup. */
export const paramSafe = (value: string): string =>
  value.replace(/\|/g, '%7C').replace(/\{/g, '%7B').replace(/\}/g, '%7D');

/** The snapshot's date, `YYYY-MM-DD`, from its Wayback timestamp (`20240305123456`). */
export function snapshotDate(snapshot: Snapshot): string {
  const t = snapshot.timestamp;
  return `${t.slice(0, 4)}-${t.slice(4, 6) || '01'}-${t.slice(6, 8) || '01'}`;
}

/** CS1 parameters that point a cited `url=` at its archive copy. */
export const archiveParams = (snapshot: Snapshot, urlStatus: 'dead' | 'live'): string =>
  `|archive-url=${paramSafe(snapshot.url)} |archive-date=${snapshotDate(snapshot)} |url-status=${urlStatus}`;

/** `{{dead link|date=Month YYYY…}}` for a fix made on `date` (ISO date or instant). */
export const deadLinkTemplate = (date: string, extra = ''): string =>
  `{{dead link|date=${monthYear(date.slice(0, 10))}${extra}}}`;
