/**
 * The Markdown report an editor reads top-down: the counts, then what needs doing, each item
 * naming its reference number and section. Pure: report in, text out.
 */
import type { Article, Finding, Link, Reference, Report } from '../model.js';
import { codeSpan, escapeCell, escapeMarkdown, linkUrl, truncate } from './escape.js';

/** Finding kinds listed under "Unsourced claims". */
export const CLAIM_KINDS: ReadonlySet<string> = new Set([
  'citation-needed',
  'who',
  'when',
  'which',
  'original-research',
  'dubious',
  'better-source-needed',
  'failed-verification',
  'clarification-needed',
  'according-to-whom',
  'by-whom',
  'unreliable-source',
  'page-needed',
  'other',
  'uncited-paragraph',
  'uncited-sentence',
  'uncited-table',
  'uncited-list',
]);

/** Finding kinds listed under "Identifier problems". */
export const IDENTIFIER_KINDS: ReadonlySet<string> = new Set([
  'invalid-identifier',
  'doi-flagged-inactive',
  'doi-unresolvable',
  'doi-inactive-flag-stale',
  'identifier-unresolved',
]);

/** Finding kinds about links: shown through the link tables, from the checks themselves. */
export const LINK_KINDS: ReadonlySet<string> = new Set([
  'dead-link',
  'suspect-link',
  'blocked-link',
  'link-error',
  'archive-link-dead',
]);

const SEVERITY_MARK = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** `[12]` for numbered references, the id otherwise. */
export function referenceLabel(article: Article, id: string): string {
  const ref = article.references.find((r) => r.id === id);
  if (ref?.number !== undefined) return ref.group ? `[${ref.group} ${ref.number}]` : `[${ref.number}]`;
  return `[${id}]`;
}

function findingLine(article: Article, f: Finding): string {
  const refs = f.referenceIds.map((id) => referenceLabel(article, id)).join(', ');
  const where = [f.location.section, f.location.line ? `line ${f.location.line}` : undefined]
    .filter(Boolean)
    .join(', ');
  let line = `- ${SEVERITY_MARK[f.severity]} ${refs ? `**${escapeMarkdown(refs)}** ` : ''}${escapeMarkdown(f.message)}`;
  if (where) line += ` _(${escapeMarkdown(where)})_`;
  if (f.quote) line += `\n  > ${escapeMarkdown(truncate(f.quote))}`;
  if (f.suggestion) line += `\n  Suggestion: ${codeSpan(f.suggestion)}`;
  return line;
}

interface CheckedLink {
  ref: Reference;
  link: Link;
}

function checkedLinks(article: Article): CheckedLink[] {
  return article.references.flatMap((ref) =>
    ref.links.filter((l) => l.check && l.role !== 'identifier').map((link) => ({ ref, link })),
  );
}

function linkTable(
  article: Article,
  rows: CheckedLink[],
  findings: readonly Finding[],
  kind: 'dead' | 'suspect' | 'blocked',
): string[] {
  const out: string[] = [];
  const head =
    kind === 'dead'
      ? '| Ref | Link | Why | Replacement |'
      : kind === 'suspect'
        ? '| Ref | Link | Why | Failing since |'
        : '| Ref | Link | Why | Since |';
  out.push(head, '| --- | --- | --- | --- |');
  for (const { ref, link } of rows) {
    const c = link.check!;
    const label = escapeCell(referenceLabel(article, ref.id));
    const why = escapeCell(c.httpStatus ? `${c.reason} (HTTP ${c.httpStatus})` : c.reason);
    const role = link.role === 'source' ? '' : ` (${link.role})`;
    let last: string;
    if (kind === 'dead') {
      const finding = findings.find(
        (f) => f.kind === 'dead-link' && f.referenceIds.includes(ref.id) && f.message.includes(link.url),
      );
      last = c.snapshot ? `${linkUrl(c.snapshot.url)}` : 'no snapshot found';
      if (finding?.suggestion) last += ` — ${codeSpan(finding.suggestion)}`;
    } else {
      const since = c.since ? c.since.slice(0, 10) : '';
      last = escapeCell(
        `${since}${c.streak ? `${since ? ', ' : ''}${c.streak} check${c.streak === 1 ? '' : 's'}` : ''}`,
      );
    }
    out.push(`| ${label} | ${linkUrl(link.url)}${escapeCell(role)} | ${why} | ${last} |`);
  }
  return out;
}

export function renderMarkdown(report: Report): string {
  const { article, summary, findings, run } = report;
  const out: string[] = [];
  out.push(`# Citation report: ${escapeMarkdown(article.title)}`, '');
  const source = article.source.wiki
    ? `${article.source.wiki.title} (${article.source.wiki.endpoint}${article.source.wiki.revisionId ? `, revision ${article.source.wiki.revisionId}` : ''})`
    : (article.source.path ?? 'input');
  out.push(
    `Source: ${escapeMarkdown(source)} · format ${article.source.format} · checked ${run.now.slice(0, 16).replace('T', ' ')} UTC · citewatch ${escapeMarkdown(report.generator.version)}`,
    '',
  );
  if (run.offline) {
    out.push(
      run.offlineReason === 'requested'
        ? '> **Offline run** (`--offline`): no link, archive or identifier was checked over the network; nothing is reported dead.'
        : '> **Offline:** no host could be reached, so the network checks were skipped and nothing is reported dead.',
      '',
    );
  }
  if (run.shard) out.push(`> Shard ${escapeMarkdown(run.shard)}: only this shard's links were checked.`, '');

  out.push('## Summary', '', '| | Count |', '| --- | ---: |');
  const rows: Array<[string, number]> = [
    ['References', summary.references],
    ['Inline citations', summary.citations],
    ['Unsourced claims', summary.unsourcedClaims],
    ['Maintenance tags', summary.tags],
    ['Links checked', summary.links.total - summary.links.skipped],
    ['Dead links (confirmed)', summary.links.dead],
    ['Suspect links', summary.links.suspect],
    ['Blocked links', summary.links.blocked],
    ['Links with errors', summary.links.error],
    ['Unchecked links', summary.links.skipped],
    ['Identifier problems', findings.filter((f) => IDENTIFIER_KINDS.has(f.kind)).length],
  ];
  for (const [label, n] of rows) out.push(`| ${label} | ${n} |`);
  out.push(
    `| Errors / warnings / notes | ${summary.findings.error} / ${summary.findings.warning} / ${summary.findings.info} |`,
  );
  if (run.savedByCadence > 0) out.push(`| Fetches saved by the recheck cadence | ${run.savedByCadence} |`);
  out.push('');

  const links = checkedLinks(article);
  const byVerdict = (v: string) => links.filter((l) => l.link.check!.verdict === v);
  const dead = byVerdict('dead');
  if (dead.length) out.push('## Dead links', '', ...linkTable(article, dead, findings, 'dead'), '');
  const suspect = byVerdict('suspect');
  if (suspect.length) {
    out.push(
      '## Suspect links',
      '',
      'Failed at least once; reported dead only once the failure is confirmed across runs.',
      '',
    );
    out.push(...linkTable(article, suspect, findings, 'suspect'), '');
  }
  const blocked = [...byVerdict('blocked'), ...byVerdict('error')];
  if (blocked.length) {
    out.push(
      '## Blocked links',
      '',
      'The site refused or failed to answer; these are never reported dead on their own.',
      '',
    );
    out.push(...linkTable(article, blocked, findings, 'blocked'), '');
  }
  const skipped = byVerdict('skipped');
  if (skipped.length) {
    const reasons = new Map<string, number>();
    for (const { link } of skipped)
      reasons.set(link.check!.reason, (reasons.get(link.check!.reason) ?? 0) + 1);
    out.push('## Unchecked', '');
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]))
      out.push(`- ${n} link${n === 1 ? '' : 's'}: ${escapeMarkdown(reason)}`);
    out.push('');
  }

  const section = (title: string, items: Finding[], intro?: string) => {
    if (!items.length) return;
    out.push(`## ${title}`, '');
    if (intro) out.push(intro, '');
    for (const f of items) out.push(findingLine(article, f));
    out.push('');
  };
  section(
    'Unsourced claims',
    findings.filter((f) => CLAIM_KINDS.has(f.kind)),
    'Sentences and paragraphs without a citation, and maintenance tags left by editors.',
  );
  section(
    'Reference problems',
    findings.filter(
      (f) => !CLAIM_KINDS.has(f.kind) && !IDENTIFIER_KINDS.has(f.kind) && !LINK_KINDS.has(f.kind),
    ),
  );
  section(
    'Identifier problems',
    findings.filter((f) => IDENTIFIER_KINDS.has(f.kind)),
  );
  section(
    'Archive copies',
    findings.filter((f) => f.kind === 'archive-link-dead'),
  );
  if (findings.length === 0) out.push('No problems found.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
