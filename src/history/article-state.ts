/**
 * An article's state as one run saw it, reduced to what the next run compares: fingerprints
 * of references, tags and unsourced claims, and the verdict of every web link. Pure.
 */
import { squash } from '../core/text.js';
import { type Article, type Reference, type Report, type Tag, VERDICTS, type Verdict } from '../model.js';
import { UNSOURCED_KINDS } from '../report/index.js';
import type { ArticleState, LinkVerdict, ReferenceFingerprint, TagFingerprint } from './types.js';

/** Characters of a reference's text that describe it when it has no title. */
const DESCRIPTION_LENGTH = 80;

const normal = (s: string): string => squash(s).toLowerCase();

/**
 * The article's identity across runs: the wiki and title for a fetched article, else its
 * title (the same identity the report file name uses).
 */
export function articleKey(article: Article): string {
  const wiki = article.source.wiki;
  if (wiki) return `wiki:${wiki.endpoint}#${wiki.title}`;
  return `title:${normal(article.title)}`;
}

/**
 * The keys of one run's articles, each distinct: two articles with one title (files in two
 * folders, titles that differ only in case) would otherwise share one saved state, and each
 * run would compare one of them with the other. Later ones get `#2`, `#3`, … in input order.
 */
export function articleKeys(articles: readonly Article[]): string[] {
  const taken = new Set<string>();
  return articles.map((article) => {
    const base = articleKey(article);
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}#${n}`;
    taken.add(key);
    return key;
  });
}

/** DOI, else first source URL, else normalised title (else normalised text). */
export function referenceFingerprint(ref: Reference): ReferenceFingerprint {
  const doi = ref.identifiers.doi[0];
  const url = doi ? undefined : ref.links.find((l) => l.role === 'source')?.url;
  // The title and the text are squashed once each, and the text only when the title is empty.
  const title = ref.title ? squash(ref.title) : '';
  const text = title ? '' : squash(ref.text);
  const fingerprint = doi
    ? `doi:${doi}`
    : url
      ? `url:${url}`
      : title
        ? `title:${title.toLowerCase()}`
        : `text:${text.toLowerCase()}`;
  const description = title || text.slice(0, DESCRIPTION_LENGTH);
  return { fingerprint, description };
}

function tagFingerprint(article: Article, tag: Tag): TagFingerprint {
  const sentence = tag.block >= 0 ? article.blocks[tag.block]?.sentences[tag.sentence] : undefined;
  const place = sentence !== undefined ? normal(sentence) : `ref:${tag.referenceId ?? ''}`;
  return {
    fingerprint: `${tag.kind}|${place}`,
    kind: tag.kind,
    text: tag.text,
    ...(sentence !== undefined && { sentence }),
  };
}

/** The verdict of every web link (identifier resolver links are not web links), by URL. */
function linkVerdicts(article: Article): Record<string, LinkVerdict> {
  const links: Record<string, LinkVerdict> = {};
  for (const ref of article.references) {
    for (const link of ref.links) {
      if (link.role === 'identifier' || link.check === undefined) continue;
      const entry = links[link.url];
      if (entry) {
        if (!entry.referenceIds.includes(ref.id)) entry.referenceIds.push(ref.id);
      } else {
        links[link.url] = { verdict: link.check.verdict, referenceIds: [ref.id], reason: link.check.reason };
      }
    }
  }
  return links;
}

/** The state to save for a report (build the report, then the state, then diff and save). */
export function articleStateOf(report: Report, key: string = articleKey(report.article)): ArticleState {
  const { article, findings, summary } = report;
  const verdictCounts = Object.fromEntries(VERDICTS.map((v) => [v, summary.links[v]])) as Record<
    Verdict,
    number
  >;
  return {
    key,
    at: report.run.now,
    sha256: article.source.sha256,
    ...(article.source.wiki?.revisionId !== undefined && { revisionId: article.source.wiki.revisionId }),
    references: article.references.map(referenceFingerprint),
    tags: article.tags.map((t) => tagFingerprint(article, t)),
    unsourced: findings
      .filter((f) => UNSOURCED_KINDS.has(f.kind) && f.severity !== 'info')
      .map((f) => `${f.kind}|${normal(f.quote ?? f.message)}`),
    verdictCounts,
    links: linkVerdicts(article),
  };
}
