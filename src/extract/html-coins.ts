/**
 * COinS (ContextObjects in Spans): the OpenURL metadata CS1 writes into `span.Z3988`'s
 * `title` attribute next to every citation. It carries the citation's parameters before
 * rendering, so it is the most exact source for title, date, authors and identifiers. Pure.
 */
import { parseDate } from '../core/dates.js';
import { squash } from '../core/text.js';
import type { IdentifierKind } from '../model.js';

/** What a COinS span says about one citation. */
export interface Coins {
  /** Article, chapter or page title (`rft.atitle`). */
  atitle?: string;
  /** Book or stand-alone title (`rft.btitle`). */
  btitle?: string;
  /** Periodical (`rft.jtitle`). */
  jtitle?: string;
  /** `rft.genre`: `article`, `book`, `bookitem`, `unknown`, … */
  genre?: string;
  date?: string;
  publisher?: string;
  authors: string[];
  /** The cited URL (`rft_id` that is a web address). */
  url?: string;
  identifiers: Array<{ kind: IdentifierKind; value: string }>;
}

/** `rft_id=info:doi/…` and friends. */
const INFO_KINDS: Record<string, IdentifierKind> = {
  doi: 'doi',
  pmid: 'pmid',
  pmc: 'pmc',
  bibcode: 'bibcode',
  oclcnum: 'oclc',
  arxiv: 'arxiv',
  hdl: 'hdl',
};

/** Parses a COinS `title` attribute (already entity-decoded). */
export function parseCoins(title: string): Coins {
  const params = new URLSearchParams(title);
  const one = (key: string): string | undefined => {
    const v = params.get(key);
    return v ? squash(v) || undefined : undefined;
  };
  const coins: Coins = { authors: [], identifiers: [] };
  const atitle = one('rft.atitle');
  const btitle = one('rft.btitle');
  const jtitle = one('rft.jtitle');
  const genre = one('rft.genre');
  const date = parseDate(one('rft.date'));
  const publisher = one('rft.pub');
  if (atitle) coins.atitle = atitle;
  if (btitle) coins.btitle = btitle;
  if (jtitle) coins.jtitle = jtitle;
  if (genre) coins.genre = genre;
  if (date) coins.date = date;
  if (publisher) coins.publisher = publisher;

  const last = one('rft.aulast');
  const first = one('rft.aufirst');
  const authors: string[] = [];
  if (last) authors.push(first ? `${last}, ${first}` : last);
  for (const au of params.getAll('rft.au')) {
    const a = squash(au);
    if (a && !authors.includes(a)) authors.push(a);
  }
  coins.authors = authors;

  for (const id of params.getAll('rft_id')) {
    const info = id.match(/^info:([a-z]+)\/(.+)$/i);
    if (info) {
      const kind = INFO_KINDS[info[1]!.toLowerCase()];
      if (kind) coins.identifiers.push({ kind, value: info[2]! });
    } else if (/^(?:https?:)?\/\//i.test(id) && !id.includes('#id-name=')) {
      // Identifier links are tagged `#id-name=PMC`; the citation's own URL comes last.
      coins.url = id.startsWith('//') ? `https:${id}` : id;
    }
  }
  for (const isbn of params.getAll('rft.isbn')) coins.identifiers.push({ kind: 'isbn', value: isbn });
  for (const key of ['rft.issn', 'rft.eissn']) {
    for (const issn of params.getAll(key)) coins.identifiers.push({ kind: 'issn', value: issn });
  }
  return coins;
}

/**
 * The citation's own title. Book formats put it in `btitle` (with `atitle` the chapter when
 * the genre is `bookitem`); journal formats in `atitle`, with the periodical in `jtitle`.
 */
export function coinsTitle(c: Coins): { title?: string; chapter?: string; work?: string } {
  if (c.btitle) {
    return c.atitle ? { title: c.btitle, chapter: c.atitle } : { title: c.btitle };
  }
  const out: { title?: string; work?: string } = {};
  if (c.atitle) out.title = c.atitle;
  if (c.jtitle) {
    if (out.title) out.work = c.jtitle;
    else out.title = c.jtitle;
  }
  return out;
}
