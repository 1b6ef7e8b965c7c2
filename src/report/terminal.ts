/**
 * The few lines a terminal run ends with: how many articles, references and links, what is
 * wrong with them, and where the full report is. Built from the per-article `Summary` objects
 * only, so it needs no whole report in memory. Pure.
 */
import type { Summary } from '../model.js';

export interface TerminalSummaryOptions {
  /** Path of `summary.md`, shown as is. */
  summaryPath: string;
  /** True when nothing was checked over the network (`--offline`, or no host reachable). */
  offline?: boolean;
  /** Colour the counts that need attention. @default false */
  color?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function renderTerminalSummary(summaries: Iterable<Summary>, options: TerminalSummaryOptions): string {
  const t = {
    articles: 0,
    references: 0,
    checked: 0,
    dead: 0,
    suspect: 0,
    blocked: 0,
    error: 0,
    unsourced: 0,
    identifiers: 0,
  };
  for (const s of summaries) {
    t.articles++;
    t.references += s.references;
    t.checked += s.links.total - s.links.skipped;
    t.dead += s.links.dead;
    t.suspect += s.links.suspect;
    t.blocked += s.links.blocked;
    t.error += s.links.error;
    t.unsourced += s.unsourcedClaims;
    t.identifiers += s.identifiers.invalid + s.identifiers.unresolved;
  }
  const paint = (n: number, text: string, code: string): string =>
    options.color && n > 0 ? `\x1b[${code}m${text}\x1b[0m` : text;
  const links = options.offline ? 'links not checked (offline)' : plural(t.checked, 'link') + ' checked';
  const lines = [
    `${plural(t.articles, 'article')}, ${plural(t.references, 'reference')}, ${links}`,
    [
      paint(t.dead, `dead ${t.dead}`, '31'),
      paint(t.suspect, `suspect ${t.suspect}`, '33'),
      paint(t.blocked, `blocked ${t.blocked}`, '33'),
      paint(t.error, `failed to load ${t.error}`, '33'),
      paint(t.unsourced, `unsourced claims ${t.unsourced}`, '33'),
      ...(t.identifiers > 0 ? [paint(t.identifiers, `identifier problems ${t.identifiers}`, '31')] : []),
    ].join('  ·  '),
    `report: ${options.summaryPath}`,
  ];
  return `\n${lines.join('\n')}\n`;
}
