/**
 * CS1/CS2 citation templates (`{{cite web}}`, `{{cite book}}`, …, `{{citation}}`): every
 * parameter alias the model cares about, read into a `Reference`. Pure: the caller supplies
 * parameter values as plain text and receives links through a callback.
 */
import { parseDate } from '../core/dates.js';
import { addIdentifier } from '../core/identifiers.js';
import type { IdentifierKind, LinkRole, Reference } from '../model.js';
import { ACCESS_LEVELS, type CITATION_CLASSES } from '../model.js';

type CitationClass = (typeof CITATION_CLASSES)[number];
type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** `cite web`, `cite news`, `Cite journal`, `citation`, `vcite book`, … (lower-cased names). */
export const isCitationTemplate = (name: string): boolean =>
  /^(?:cite[ -]|vcite2? |citation$|cite$)/.test(name) && name !== 'cite error' && name !== 'citation needed';

const CLASS_BY_KIND: Record<string, CitationClass> = {
  web: 'web',
  news: 'news',
  newspaper: 'news',
  'press release': 'news',
  magazine: 'news',
  journal: 'journal',
  arxiv: 'journal',
  biorxiv: 'journal',
  medrxiv: 'journal',
  ssrn: 'journal',
  citeseerx: 'journal',
  conference: 'journal',
  book: 'book',
  encyclopedia: 'book',
  encyclopaedia: 'book',
  dictionary: 'book',
  thesis: 'book',
  report: 'report',
  techreport: 'report',
  'tech report': 'report',
};

/** Parameter aliases, first match wins. */
const ALIASES = {
  url: ['url'],
  archiveUrl: ['archive-url', 'archiveurl', 'archive url'],
  archiveDate: ['archive-date', 'archivedate', 'archive date'],
  urlStatus: ['url-status', 'urlstatus'],
  deadUrl: ['deadurl', 'dead-url', 'dead url'],
  accessDate: ['access-date', 'accessdate', 'access date'],
  doiBroken: ['doi-broken-date', 'doi_brokendate', 'doi-inactive-date', 'doi_inactivedate', 'doi-broken'],
  title: ['title', 'script-title', 'trans-title'],
  chapter: ['chapter', 'contribution', 'section', 'entry', 'article', 'script-chapter', 'trans-chapter'],
  chapterUrl: [
    'chapter-url',
    'chapterurl',
    'contribution-url',
    'contributionurl',
    'section-url',
    'sectionurl',
    'entry-url',
    'article-url',
  ],
  date: ['date'],
  year: ['year'],
  work: [
    'work',
    'website',
    'newspaper',
    'journal',
    'magazine',
    'periodical',
    'encyclopedia',
    'encyclopaedia',
    'dictionary',
    'series',
  ],
  publisher: ['publisher', 'institution', 'agency'],
  urlAccess: ['url-access', 'urlaccess'],
} as const;

/** Identifier parameters and their aliases. */
/** The parameters that name the work a citation appeared in (`work`, `website`, `journal`, …). */
export const CS1_WORK_PARAMS: readonly string[] = ALIASES.work;

const IDENTIFIER_PARAMS: Array<[IdentifierKind, string[]]> = [
  ['doi', ['doi']],
  ['isbn', ['isbn', 'isbn13']],
  ['issn', ['issn', 'eissn']],
  ['pmid', ['pmid']],
  ['pmc', ['pmc']],
  ['arxiv', ['arxiv', 'eprint']],
  ['bibcode', ['bibcode']],
  ['s2cid', ['s2cid']],
  ['hdl', ['hdl']],
  ['jstor', ['jstor']],
  ['oclc', ['oclc']],
];

/** URL parameters besides `url`, `archive-url` and the chapter's. */
const OTHER_URL_PARAMS = [
  'transcript-url',
  'transcripturl',
  'lay-url',
  'layurl',
  'conference-url',
  'conferenceurl',
  'map-url',
  'mapurl',
];

/** A parameter's plain text, or `undefined` when absent or blank. */
export type ParamValue = (name: string) => string | undefined;

/**
 * Which groups of parameters a citation has, one bit per group (see {@link citationGroups}):
 * a group the citation has no parameter of is not asked about, alias by alias. A citation has
 * a handful of the hundred-odd aliases read below.
 */
export type ParamGroups = number;

/** Every group: nothing is skipped. */
export const ALL_GROUPS: ParamGroups = -1;

type AliasGroup = keyof typeof ALIASES;
const ALIAS_GROUPS = Object.keys(ALIASES) as AliasGroup[];
const GROUP_BIT = Object.fromEntries(ALIAS_GROUPS.map((g, i) => [g, 1 << i])) as Record<AliasGroup, number>;
/** Author, editor and Vancouver-list parameters (`citationAuthors`, `citationSurnames`). */
const PEOPLE_BIT = 1 << ALIAS_GROUPS.length;
const IDENTIFIER_BIT = PEOPLE_BIT << 1;
const OTHER_URL_BIT = PEOPLE_BIT << 2;

export interface CitationSink {
  /** Adds a link; `role` is what the parameter says (the caller may refine it). */
  link(url: string, role: LinkRole): void;
}

const first = (value: ParamValue, names: readonly string[]): string | undefined => {
  for (let k = 0; k < names.length; k++) {
    const v = value(names[k]!);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
};

/** `first` of an alias group, when the citation has any parameter of it. */
const firstOf = (value: ParamValue, groups: ParamGroups, group: AliasGroup): string | undefined =>
  (groups & GROUP_BIT[group]) === 0 ? undefined : first(value, ALIASES[group]);

/** The suffixes of the `n`th author's parameters: the first author's have none or `1`. */
const suffixesOf = (n: number): string[] => (n === 1 ? ['', '1'] : [String(n)]);

/** Most authors a citation lists (`last30`); also the length of the alias tables below. */
const MAX_AUTHORS = 30;

/** Per author (index `n - 1`), the parameters of their surname, then of their given name. */
const AUTHOR_LAST = Array.from({ length: MAX_AUTHORS }, (_, i) =>
  suffixesOf(i + 1).flatMap((s) => [
    `last${s}`,
    `surname${s}`,
    `author${s}`,
    `author${s}-last`,
    `author-last${s}`,
    `subject${s}`,
  ]),
);
const AUTHOR_GIVEN = Array.from({ length: MAX_AUTHORS }, (_, i) =>
  suffixesOf(i + 1).flatMap((s) => [`first${s}`, `given${s}`, `author${s}-first`, `author-first${s}`]),
);
/** The surname parameters a Harvard anchor reads (no `subject`), for its four authors. */
const ANCHOR_LAST = Array.from({ length: 4 }, (_, i) =>
  suffixesOf(i + 1).flatMap((s) => [
    `last${s}`,
    `surname${s}`,
    `author${s}`,
    `author${s}-last`,
    `author-last${s}`,
  ]),
);
const AUTHOR_LISTS = ['vauthors', 'authors', 'people'];
const ANCHOR_EDITORS = ['editor-last', 'editor1-last', 'editor-surname', 'editor', 'editor1', 'last1'];
const ANCHOR_LISTS = ['vauthors'];

/** The groups each parameter name belongs to. */
const BITS_OF_PARAM = new Map<string, number>();
const addBits = (names: readonly string[], bit: number): void => {
  for (const n of names) BITS_OF_PARAM.set(n, (BITS_OF_PARAM.get(n) ?? 0) | bit);
};
for (const g of ALIAS_GROUPS) addBits(ALIASES[g], GROUP_BIT[g]);
for (const names of [
  ...AUTHOR_LAST,
  ...AUTHOR_GIVEN,
  ...ANCHOR_LAST,
  AUTHOR_LISTS,
  ANCHOR_EDITORS,
  ANCHOR_LISTS,
])
  addBits(names, PEOPLE_BIT);
for (const [, names] of IDENTIFIER_PARAMS) addBits(names, IDENTIFIER_BIT);
addBits(OTHER_URL_PARAMS, OTHER_URL_BIT);

/** The groups of the parameters a citation has: `params` by their (lower-cased, trimmed) names. */
export function citationGroups(params: ReadonlyMap<string, unknown>): ParamGroups {
  let groups = 0;
  // `forEach`, not `for…of` over the keys: no iterator result per parameter in code that
  // runs once per citation and is never optimised in a one-article run.
  params.forEach((_, name) => {
    groups |= BITS_OF_PARAM.get(name) ?? 0;
  });
  return groups;
}

/** Authors as written: `Last, First` pairs, `author`/`authorN`, or a Vancouver list. */
export function citationAuthors(value: ParamValue, groups: ParamGroups = ALL_GROUPS): string[] {
  const authors: string[] = [];
  if ((groups & PEOPLE_BIT) === 0) return authors;
  for (let n = 1; n <= MAX_AUTHORS; n++) {
    const last = first(value, AUTHOR_LAST[n - 1]!);
    if (last === undefined) {
      if (n > 1) break;
      continue;
    }
    const given = first(value, AUTHOR_GIVEN[n - 1]!);
    authors.push(given ? `${last}, ${given}` : last);
  }
  if (authors.length === 0) {
    const list = first(value, AUTHOR_LISTS);
    if (list) for (const a of list.split(/\s*[,;]\s*/)) if (a) authors.push(a);
  }
  return authors;
}

/** Surnames used by Harvard anchors (`CITEREF` + up to four surnames + year). */
export function citationSurnames(value: ParamValue, groups: ParamGroups = ALL_GROUPS): string[] {
  const names: string[] = [];
  if ((groups & PEOPLE_BIT) === 0) return names;
  for (let n = 1; n <= 4; n++) {
    const last = first(value, ANCHOR_LAST[n - 1]!);
    if (last === undefined) {
      if (n === 1) {
        const editor = first(value, ANCHOR_EDITORS);
        if (editor !== undefined) names.push(editor);
      }
      break;
    }
    names.push(last);
  }
  if (names.length === 0) {
    const list = first(value, ANCHOR_LISTS);
    if (list)
      names.push(
        ...list
          .split(/\s*,\s*/)
          .map((a) => a.replace(/\s+[A-Z]+$/, ''))
          .slice(0, 4),
      );
  }
  return names;
}

/** The year a Harvard anchor uses: `year`, else the year in `date` (with any `a`/`b` suffix). */
export function citationYear(value: ParamValue): string | undefined {
  const year = value('year');
  if (year) return year.trim();
  const date = value('date');
  return date === undefined ? undefined : yearIn(date);
}

/** `[A-Za-z0-9_]`: a word character of a regex's `\b`. */
const isWordCode = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * The first match of `/\b(\d{4}[a-z]?)\b/` in `text`, read by hand (every citation asks, and a
 * regex match is an array and two strings): four digits that no word character precedes,
 * then a lower-case letter and a boundary, or else a boundary right after the digits.
 */
export function yearIn(text: string): string | undefined {
  for (let i = 0; i + 4 <= text.length; i++) {
    if (i > 0 && isWordCode(text.charCodeAt(i - 1))) continue;
    if (
      !isDigitCode(text.charCodeAt(i)) ||
      !isDigitCode(text.charCodeAt(i + 1)) ||
      !isDigitCode(text.charCodeAt(i + 2)) ||
      !isDigitCode(text.charCodeAt(i + 3))
    )
      continue;
    const next = text.charCodeAt(i + 4);
    if (next >= 0x61 && next <= 0x7a) {
      if (i + 5 >= text.length || !isWordCode(text.charCodeAt(i + 5))) return text.slice(i, i + 5);
      continue;
    }
    if (i + 4 >= text.length || !isWordCode(next)) return text.slice(i, i + 4);
  }
  return undefined;
}

function citationClassOf(name: string, value: ParamValue): CitationClass {
  const kind = name.replace(/^(?:v?cite2?[ -]?|citation)/, '').trim();
  if (kind in CLASS_BY_KIND) return CLASS_BY_KIND[kind]!;
  if (name === 'citation' || name === 'cite') {
    if (value('journal')) return 'journal';
    if (value('newspaper') || value('magazine')) return 'news';
    if (value('isbn') || (value('publisher') && !value('url'))) return 'book';
    if (value('url')) return 'web';
  }
  return 'other';
}

const urlStatusOf = (value: ParamValue, groups: ParamGroups): string | undefined => {
  if ((groups & (GROUP_BIT.urlStatus | GROUP_BIT.deadUrl)) === 0) return undefined;
  const status = value('url-status')?.toLowerCase() ?? value('urlstatus')?.toLowerCase();
  if (status) return status;
  const dead = first(value, ALIASES.deadUrl)?.toLowerCase();
  if (dead === undefined) return undefined;
  if (/^(?:yes|y|true|dead)$/.test(dead)) return 'dead';
  if (/^(?:no|n|false|live)$/.test(dead)) return 'live';
  return dead;
};

/**
 * Reads a citation template into `ref` (fields not yet set) and returns the citation as a
 * reader sees it: `Authors (date). "Chapter". Title. Work. Publisher.` `groups` are those of
 * the citation's parameters ({@link citationGroups}); the default asks about every alias.
 */
export function applyCitation(
  ref: Reference,
  name: string,
  value: ParamValue,
  sink: CitationSink,
  groups: ParamGroups = ALL_GROUPS,
): string {
  ref.citationClass ??= citationClassOf(name, value);
  const authors = citationAuthors(value, groups);
  if (ref.authors.length === 0) ref.authors.push(...authors);
  const title = firstOf(value, groups, 'title');
  if (title && ref.title === undefined) ref.title = title;
  const dateText = firstOf(value, groups, 'date') ?? firstOf(value, groups, 'year');
  const date = parseDate(dateText);
  if (date && ref.date === undefined) ref.date = date;
  const work = firstOf(value, groups, 'work');
  if (work && ref.work === undefined) ref.work = work;
  const publisher = firstOf(value, groups, 'publisher');
  if (publisher && ref.publisher === undefined) ref.publisher = publisher;
  const accessDate = parseDate(firstOf(value, groups, 'accessDate'));
  if (accessDate && ref.accessDate === undefined) ref.accessDate = accessDate;
  const urlStatus = urlStatusOf(value, groups);
  if (urlStatus && ref.urlStatus === undefined) ref.urlStatus = urlStatus;
  const doiInactive = parseDate(firstOf(value, groups, 'doiBroken'));
  if (doiInactive && ref.doiInactiveSince === undefined) ref.doiInactiveSince = doiInactive;
  const access = firstOf(value, groups, 'urlAccess')?.toLowerCase();
  if (access && (ACCESS_LEVELS as readonly string[]).includes(access) && ref.accessLevel === undefined) {
    ref.accessLevel = access as AccessLevel;
  }
  if ((groups & IDENTIFIER_BIT) !== 0) {
    for (let i = 0; i < IDENTIFIER_PARAMS.length; i++) {
      const [kind, names] = IDENTIFIER_PARAMS[i]!;
      for (let k = 0; k < names.length; k++) {
        const v = value(names[k]!);
        if (v) addIdentifier(ref.identifiers, kind, v);
      }
    }
  }
  const url = firstOf(value, groups, 'url');
  if (url) sink.link(url, 'source');
  const chapterUrl = firstOf(value, groups, 'chapterUrl');
  if (chapterUrl) sink.link(chapterUrl, 'chapter');
  const archiveUrl = firstOf(value, groups, 'archiveUrl');
  if (archiveUrl) {
    sink.link(archiveUrl, 'archive');
    if (!ref.archive.present) {
      ref.archive = { present: true, url: archiveUrl };
      const archiveDate = parseDate(firstOf(value, groups, 'archiveDate'));
      if (archiveDate) ref.archive.date = archiveDate;
    }
  }
  if ((groups & OTHER_URL_BIT) !== 0) {
    for (let k = 0; k < OTHER_URL_PARAMS.length; k++) {
      const v = value(OTHER_URL_PARAMS[k]!);
      if (v) sink.link(v, 'other');
    }
  }
  const chapter = firstOf(value, groups, 'chapter');
  // As CS1 shows it: the date follows the authors, or closes the citation when there are none.
  const pieces: string[] = [];
  if (authors.length) pieces.push(dateText ? `${authors.join('; ')} (${dateText})` : authors.join('; '));
  if (chapter) pieces.push(`"${chapter}"`);
  if (title) pieces.push(chapter ? title : `"${title}"`);
  if (work) pieces.push(work);
  if (publisher) pieces.push(publisher);
  if (!authors.length && dateText) pieces.push(dateText);
  return pieces.length ? `${pieces.join('. ')}.` : '';
}
