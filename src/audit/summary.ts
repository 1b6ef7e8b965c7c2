/** Counts of findings, by severity and by kind, for summaries and `--fail-on`. */
import type { Finding } from '../model.js';

export interface FindingsSummary {
  error: number;
  warning: number;
  info: number;
  /** Findings per kind; kinds with no finding are absent. Keys sorted. */
  byKind: Record<string, number>;
}

export function summarizeFindings(findings: readonly Finding[]): FindingsSummary {
  const summary: FindingsSummary = { error: 0, warning: 0, info: 0, byKind: {} };
  const byKind = new Map<string, number>();
  for (const f of findings) {
    summary[f.severity]++;
    byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  }
  for (const kind of [...byKind.keys()].sort()) summary.byKind[kind] = byKind.get(kind)!;
  return summary;
}
