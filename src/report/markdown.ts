/**
 * The Markdown report an editor reads top-down: the counts, then what needs doing, each item
 * naming its reference number and section. Pure: report in, text out.
 */

import { archiveParams } from '../fix/index.js';
import type { ArchiveRequest, Article, Changes, Finding, Link, Reference, Report } from '../model.js';
import { codeSpan, escapeCell, escapeMarkdown, inCell, linkUrl, truncate } from './escape.js';

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
/** Each article's references by id, built once: a label per finding and link made it quadratic. */
const referencesById = new WeakMap<Article, Map<string, Article['references'][number]>>();

export function referenceLabel(article: Article, id: string): string {
  let byId = referencesById.get(article);
  if (!byId) {
    byId = new Map();
    for (const r of article.references) if (!byId.has(r.id)) byId.set(r.id, r);
    referencesById.set(article, byId);
  }
  const ref = byId.get(id);
  if (ref?.number !== undefined) return ref.group ? `[${ref.group} ${ref.number}]` : `[${ref.number}]`;
  return `[${id}]`;
}

function findingLine(article: Article, f: Finding): string {
  const refs = f.referenceIds.map((id) => referenceLabel(article, id)).join(', ');
  const { section, line: at } = f.location;
  const where = at ? (section ? `${section}, line ${at}` : `line ${at}`) : section;
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
  const out: CheckedLink[] = [];
  for (const ref of article.references)
    for (const link of ref.links) if (link.check && link.role !== 'identifier') out.push({ ref, link });
  return out;
}

/** Why a link has no replacement snapshot, by how its lookup ended. */
const NO_SNAPSHOT = {
  found: 'no snapshot found',
  none: 'no snapshot found',
  failed: 'lookup failed, will retry',
  unusable: 'the snapshot found is no copy of the page: pick one by hand',
  unasked: 'not looked up',
} as const;

/** For an undated citation's snapshot: which date it is the closest capture before. */
const undatedNote = (c: NonNullable<Link['check']>): string =>
  c.snapshotBefore
    ? ` (undated citation: snapshot closest before ${escapeCell(c.snapshotBefore)} — check it shows the cited content)`
    : '';

function linkTable(
  article: Article,
  rows: CheckedLink[],
  findings: readonly Finding[],
  kind: 'dead' | 'suspect' | 'blocked',
): string[] {
  const out: string[] = [];
  const head =
    kind === 'dead'
      ? '| Ref | Link | Why | Failing since | Last alive | Replacement |'
      : kind === 'suspect'
        ? '| Ref | Link | Why | Failing since | Last alive |'
        : '| Ref | Link | Why | Since |';
  out.push(
    head,
    kind === 'blocked'
      ? '| --- | --- | --- | --- |'
      : kind === 'dead'
        ? '| --- | --- | --- | --- | --- | --- |'
        : '| --- | --- | --- | --- | --- |',
  );
  for (const { ref, link } of rows) {
    const c = link.check!;
    const label = escapeCell(referenceLabel(article, ref.id));
    const why = escapeCell(c.httpStatus ? `${c.reason} (HTTP ${c.httpStatus})` : c.reason);
    const role = link.role === 'source' ? '' : ` (${link.role})`;
    const since = c.since ? c.since.slice(0, 10) : '';
    const streak = escapeCell(
      `${since}${c.streak ? `${since ? ', ' : ''}${c.streak} check${c.streak === 1 ? '' : 's'}` : ''}`,
    );
    const lastAlive = c.lastAliveAt ? c.lastAliveAt.slice(0, 10) : 'never seen alive';
    const cells = [label, `${inCell(linkUrl(link.url))}${escapeCell(role)}`, why, streak];
    if (kind !== 'blocked') cells.push(lastAlive);
    if (kind === 'dead') {
      const finding = findings.find(
        (f) => f.kind === 'dead-link' && f.referenceIds.includes(ref.id) && f.message.includes(link.url),
      );
      let replacement = c.snapshot
        ? `${inCell(linkUrl(c.snapshot.url))}${undatedNote(c)}`
        : escapeCell(NO_SNAPSHOT[c.snapshotLookup ?? 'unasked']);
      if (finding?.suggestion) replacement += ` — ${inCell(codeSpan(finding.suggestion))}`;
      cells.push(replacement);
    }
    out.push(`| ${cells.join(' | ')} |`);
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
    `Source: ${escapeMarkdown(source)} · format ${article.source.format} · checked ${run.now.slice(0, 16).replace('T', ' ')} UTC · citewatch ${report.generator.version.replace(/[^0-9A-Za-z.+-]/g, '')}`,
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

  if (report.changes) out.push(...changesSection(article, report.changes));

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
  const blocked = byVerdict('blocked');
  if (blocked.length) {
    out.push(
      '## Blocked links',
      '',
      'The site refused to serve the page to a bot; these are never reported dead on their own.',
      '',
    );
    out.push(...linkTable(article, blocked, findings, 'blocked'), '');
  }
  // Timeouts, resets, TLS failures and 5xx: the site failed, it did not refuse (the summary
  // table counts them apart too).
  const failed = byVerdict('error');
  if (failed.length) {
    out.push(
      '## Links that failed to load',
      '',
      'Timeouts, dropped connections and server errors; rechecked every run, never reported dead on their own.',
      '',
    );
    out.push(...linkTable(article, failed, findings, 'blocked'), '');
  }
  out.push(...unarchivedSection(article, byVerdict('alive')));
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
  // Links the user's rules decided (--exclude, ignore file, --accept, overrides), each with its rule.
  const ruled = links.filter(({ link }) => link.check?.rule !== undefined);
  if (ruled.length) {
    out.push(
      '## Decided by your rules',
      '',
      'Excluded, accepted or overridden links, with the rule that matched.',
      '',
    );
    for (const { ref, link } of ruled)
      out.push(
        `- ${escapeMarkdown(referenceLabel(article, ref.id))} ${linkUrl(link.url)}: ${escapeMarkdown(link.check!.reason)} — ${escapeMarkdown(link.check!.rule!)}`,
      );
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
  out.push(...identifierSection(article));
  if (report.archiveRequests?.length) out.push(...archiveSection(report.archiveRequests));
  if (findings.length === 0) out.push('No problems found.', '');
  return closeLines(out);
}

/**
 * `${lines.join('\n').trimEnd()}\n`, made by `join` alone (`lines` is used up). V8 gives a
 * concatenation of a large string as a pair that is copied whole into one string (flattened)
 * the first time it is read, as its file is written: 1 MB for the Markdown of a 2000-reference
 * article. `join` makes the one string directly.
 */
export function closeLines(lines: string[]): string {
  while (lines.length > 0 && lines[lines.length - 1]!.trimEnd() === '') lines.pop();
  if (lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
  lines.push('');
  return lines.length === 1 ? '\n' : lines.join('\n');
}

const refsOf = (article: Article, ids: readonly string[]): string =>
  ids.map((id) => referenceLabel(article, id)).join(', ');

/** "Changes since the last run": what moved between the previous run and this one. */
/**
 * Live sources whose citation has no archive copy: the Wayback snapshot closest to the access
 * date and the parameters that add it, or that there is none yet. Folded: it can be long.
 */
function unarchivedSection(article: Article, alive: readonly CheckedLink[]): string[] {
  const rows = alive.filter(({ ref, link }) => link.role === 'source' && !ref.archive.present);
  if (rows.length === 0) return [];
  const found = rows.filter(({ link }) => link.check!.snapshot).length;
  const out = [
    '## Live links without an archive copy',
    '',
    `Add a snapshot before the page changes or goes: ${found} of ${rows.length} have one in the Wayback Machine.`,
    '',
    '<details>',
    `<summary>${rows.length} live link${rows.length === 1 ? '' : 's'} without an archive copy</summary>`,
    '',
    '| Ref | Link | Snapshot | Add to the citation |',
    '| --- | --- | --- | --- |',
  ];
  for (const { ref, link } of rows) {
    const { snapshot } = link.check!;
    const label = escapeCell(referenceLabel(article, ref.id));
    out.push(
      snapshot
        ? `| ${label} | ${inCell(linkUrl(link.url))} | ${inCell(linkUrl(snapshot.url))}${undatedNote(link.check!)} | ${inCell(codeSpan(archiveParams(snapshot, 'live')))} |`
        : link.check!.snapshotLookup === 'failed'
          ? `| ${label} | ${inCell(linkUrl(link.url))} | lookup failed, will retry | |`
          : `| ${label} | ${inCell(linkUrl(link.url))} | none found | \`--archive\` asks Save Page Now for one |`,
    );
  }
  out.push('', '</details>', '');
  return out;
}

function changesSection(article: Article, c: Changes): string[] {
  if (c.previousRunAt === undefined)
    return ['## Changes since the last run', '', 'First run: nothing to compare with.', ''];
  const out = [
    '## Changes since the last run',
    '',
    `Compared with the run of ${c.previousRunAt.slice(0, 16).replace('T', ' ')} UTC${c.revisionChanged ? '; the article has been edited since' : ''}.`,
    '',
  ];
  const links = (title: string, list: Changes['newlyDead']) => {
    for (const l of list)
      out.push(
        `- ${title}: ${linkUrl(l.url)} ${escapeMarkdown(refsOf(article, l.referenceIds))}${l.from ? ` (was ${l.from})` : ''}${l.reason ? ` — ${escapeMarkdown(l.reason)}` : ''}`,
      );
  };
  links('Newly dead', c.newlyDead);
  links('Newly suspect', c.newlySuspect);
  links('Newly blocked', c.newlyBlocked);
  links('Recovered', c.recovered);
  for (const r of c.referencesAdded) out.push(`- Reference added: ${escapeMarkdown(truncate(r))}`);
  for (const r of c.referencesRemoved) out.push(`- Reference removed: ${escapeMarkdown(truncate(r))}`);
  for (const t of c.tagsAdded)
    out.push(
      `- Tag added: ${escapeMarkdown(t.text)}${t.sentence ? ` — “${escapeMarkdown(truncate(t.sentence))}”` : ''}`,
    );
  for (const t of c.tagsRemoved)
    out.push(
      `- Tag removed: ${escapeMarkdown(t.text)}${t.sentence ? ` — “${escapeMarkdown(truncate(t.sentence))}”` : ''}`,
    );
  if (c.newUnsourcedClaims > 0) out.push(`- New unsourced claims: ${c.newUnsourcedClaims}`);
  if (out.length === 4) out.push('Nothing changed.');
  out.push('');
  return out;
}

/** One line per identifier kind: how many were checked and what came of it. */
function identifierSection(article: Article): string[] {
  const byKind = new Map<string, Map<string, number>>();
  for (const ref of article.references)
    for (const c of ref.identifierChecks) {
      const counts = byKind.get(c.kind) ?? new Map<string, number>();
      counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
      byKind.set(c.kind, counts);
    }
  if (byKind.size === 0) return [];
  const out = ['## Identifier checks', '', '| Identifier | Checked | Outcomes |', '| --- | ---: | --- |'];
  for (const [kind, counts] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const outcomes = [...counts].map(([o, n]) => `${o} ${n}`).join(', ');
    out.push(`| ${escapeCell(kind)} | ${total} | ${escapeCell(outcomes)} |`);
  }
  out.push('');
  return out;
}

/** Save Page Now requests of the run (`--archive`). */
function archiveSection(requests: readonly ArchiveRequest[]): string[] {
  const out = [
    '## Archive requests',
    '',
    'Live sources without a recent snapshot, sent to Save Page Now.',
    '',
    '| Link | Status | Snapshot or reason |',
    '| --- | --- | --- |',
  ];
  for (const r of requests) {
    const detail = r.snapshot ? inCell(linkUrl(r.snapshot.url)) : escapeCell(r.reason);
    out.push(`| ${inCell(linkUrl(r.url))} | ${r.status} | ${detail} |`);
  }
  out.push('');
  return out;
}
