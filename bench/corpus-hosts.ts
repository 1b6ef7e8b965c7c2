/**
 * How the requests of a check of real articles spread over sites: the real-article corpus's
 * wikitext (`/work/shared/corpus/wikitext`, else the fixtures) through `extractArticle`; every
 * distinct cited page (source, chapter and archive-copy links, as the checker fetches them)
 * counted by registrable domain (tldts, as `--shard` assigns them), and every distinct DOI,
 * handle, PMID and arXiv id counted at its lookup service. The shares of the top domains are
 * what `docs/scale.md` sizes a run with: under per-host politeness the busiest domain bounds
 * the run. Run: npx tsx bench/corpus-hosts.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDomain } from 'tldts';
import { extractArticle } from '../src/extract/index.js';
import type { LinkRole } from '../src/model.js';
import { SHARED_CORPUS } from './extract-bench.js';

export interface CorpusHosts {
  articles: number;
  references: number;
  /** References with at least one fetchable link (source, archive or chapter). */
  referencesWithUrl: number;
  links: Record<LinkRole, number>;
  /** Requests (distinct pages and identifier lookups, each once per article) by registrable domain. */
  requestsByDomain: Array<[string, number]>;
  requests: number;
  /** Distinct identifiers per kind (all kinds; only DOI, handle, PMID and arXiv cost a request). */
  identifiers: Record<string, number>;
}

/** Where an identifier with a lookup service is asked (see `src/check/identifiers.ts`). */
const SERVICE_DOMAIN: Record<string, string> = {
  doi: 'doi.org',
  hdl: 'handle.net',
  pmid: 'nih.gov',
  arxiv: 'arxiv.org',
};

function domainOf(url: string): string {
  try {
    const host = new URL(url).hostname.replace(/\.+$/, '');
    return getDomain(host) ?? host;
  } catch {
    return '(not a URL)';
  }
}

export function countCorpusHosts(): CorpusHosts {
  const dir = existsSync(SHARED_CORPUS) ? join(SHARED_CORPUS, 'wikitext') : 'tests/fixtures/wikitext/corpus';
  const files = readdirSync(dir).filter((f) => /\.(txt|wiki)$/.test(f));
  const links: Record<LinkRole, number> = { source: 0, archive: 0, chapter: 0, identifier: 0, other: 0 };
  const byDomain = new Map<string, number>();
  const identifiers: Record<string, number> = {};
  let references = 0;
  let referencesWithUrl = 0;
  let requests = 0;
  const count = (domain: string): void => {
    requests++;
    byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
  };
  for (const file of files) {
    const article = extractArticle({ text: readFileSync(join(dir, file), 'utf8'), format: 'wikitext' });
    const seen = new Set<string>();
    references += article.references.length;
    for (const ref of article.references) {
      if (ref.links.some((l) => l.role === 'source' || l.role === 'archive' || l.role === 'chapter')) {
        referencesWithUrl++;
      }
      for (const link of ref.links) {
        links[link.role]++;
        if (link.role !== 'identifier' && !seen.has(link.url)) {
          seen.add(link.url);
          count(domainOf(link.url));
        }
      }
      for (const [kind, values] of Object.entries(ref.identifiers)) {
        for (const value of values) {
          const key = `${kind}:${value}`;
          if (seen.has(key)) continue;
          seen.add(key);
          identifiers[kind] = (identifiers[kind] ?? 0) + 1;
          const service = SERVICE_DOMAIN[kind];
          if (service) count(service);
        }
      }
    }
  }
  return {
    articles: files.length,
    references,
    referencesWithUrl,
    links,
    requestsByDomain: [...byDomain].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    requests,
    identifiers,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const c = countCorpusHosts();
  const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)} %`;
  console.log(
    `${c.articles} articles, ${c.references} references (${(c.references / c.articles).toFixed(1)} per article), ${pct(c.referencesWithUrl, c.references)} with a URL`,
  );
  console.log(
    `links by role: ${JSON.stringify(c.links)}; distinct identifiers: ${JSON.stringify(c.identifiers)}`,
  );
  console.log(
    `${c.requests} requests (pages and identifier lookups) on ${c.requestsByDomain.length} registrable domains`,
  );
  let cumulative = 0;
  console.log('| rank | domain | requests | share | cumulative |');
  console.log('| ---: | --- | ---: | ---: | ---: |');
  c.requestsByDomain.slice(0, 15).forEach(([domain, n], i) => {
    cumulative += n;
    console.log(`| ${i + 1} | ${domain} | ${n} | ${pct(n, c.requests)} | ${pct(cumulative, c.requests)} |`);
  });
  const singletons = c.requestsByDomain.filter(([, n]) => n === 1).length;
  console.log(`domains asked once: ${singletons} (${pct(singletons, c.requestsByDomain.length)} of domains)`);
}
