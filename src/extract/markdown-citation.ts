/**
 * The fields of one rendered CS1-style citation ("Last, First (date). "Title". *Work*. Place:
 * Publisher. doi:… Archived from the original on …. Retrieved ….") read back from its plain
 * text and its italic spans. Pure and best effort: a field that cannot be told is left out.
 */
import { DATE_IN_TEXT, parseDate } from '../core/dates.js';
import { addIdentifier } from '../core/identifiers.js';
import { type CITATION_CLASSES, emptyIdentifiers, type IdentifierKind, type Identifiers } from '../model.js';
import type { TextSpan } from './markdown-inline.js';

export type CitationClass = (typeof CITATION_CLASSES)[number];

export interface CitationFields {
  title?: string;
  authors: string[];
  date?: string;
  work?: string;
  publisher?: string;
  citationClass?: CitationClass;
  identifiers: Identifiers;
  archived: boolean;
  archiveDate?: string;
  accessDate?: string;
  doiInactiveSince?: string;
}

/** Citations are short; reading past this only costs time (ref 80 with its quotation is 900). */
const MAX_CITATION_LENGTH = 4000;

const DATE = `(?<date>${DATE_IN_TEXT})`;
/** The value of an identifier: up to a space, without the punctuation that ends the sentence. */
const TOKEN = '(?<value>\\S+?)(?=[.,;:)]?(?:\\s|$))';

const IDENTIFIER_PATTERNS: ReadonlyArray<[IdentifierKind, RegExp]> = [
  ['doi', new RegExp(`\\bdoi:\\s*${TOKEN}`, 'gi')],
  ['isbn', /\bISBN(?:-1[03])?:?\s*(?<value>[0-9Xx][0-9Xx-]{8,16}[0-9Xx])/g],
  ['issn', /\be?ISSN:?\s*(?<value>\d{4}-?\d{3}[\dXx])\b/g],
  ['pmid', /\bPMID:?\s*(?<value>\d{1,9})\b/g],
  ['pmc', /\bPMC:?\s*(?<value>(?:PMC)?\d{1,9})\b/g],
  ['arxiv', /\barXiv:\s*(?<value>(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?)/gi],
  ['bibcode', /\bBibcode:\s*(?<value>\S{19})/g],
  ['s2cid', /\bS2CID:?\s*(?<value>\d{1,12})\b/g],
  ['hdl', new RegExp(`\\bhdl:\\s*${TOKEN}`, 'g')],
  ['jstor', new RegExp(`\\bJSTOR:?\\s*${TOKEN}`, 'g')],
  ['oclc', /\bOCLC:?\s*(?<value>\d{1,12})\b/g],
];

const ACCESS = new RegExp(`\\bRetrieved(?:\\s+on)?\\s+${DATE}`, 'i');
const ARCHIVED = /\bArchived(?:\s*\([^)]{1,20}\))?\s+(?:from|at|on)\b/i;
const ARCHIVE_DATE = new RegExp(
  `\\bArchived(?:\\s*\\([^)]{1,20}\\))?\\s+from the original(?:\\s+\\([^)]{1,20}\\))?\\s+on\\s+${DATE}`,
  'i',
);
const DOI_INACTIVE = new RegExp(`\\bdoi:\\s*\\S+\\s*\\(inactive\\s+${DATE}\\)`, 'i');
/** `Authors (date).` at the start; the authors may be empty (`(2019). Title`). */
const LEAD_DATE = new RegExp(`^(?<authors>[^"“(]{0,300}?)\\s*\\(${DATE}\\)(?<sep>\\s*[.,:]?)\\s*`);
/** `Last, First. "Title"` — authors without a date. */
const LEAD_AUTHORS = /^(?<authors>[^"“(\d]{2,150}?)\.\s+(?=["“])/;
/**
 * A quoted title ends at a quote followed by punctuation, a bracket or the end — or, when the
 * title ends with its own `.`/`?`/`!` ("… in the U.S." The New York Times), by a space.
 */
const STRAIGHT_TITLE = /"(?<title>[^\n]+?)"(?=\s*[.,;:!?]|\s*\[|\s*\(|\s*$)|"(?<ending>[^\n]+?[.!?])"(?=\s)/;
const CURLY_TITLE = /“(?<title>[^\n]+?)”(?=\s*[.,;:!?]|\s*\[|\s*\(|\s*$)|“(?<ending>[^\n]+?[.!?])”(?=\s)/;
/** `(PDF)`, `(Report)`, `(1 ed.)`, `(in Chinese)`: notes that sit between fields. */
const NOTE_PAREN =
  /^\s*\((?:PDF|EPUB|Report|DOC|PPT|Thesis|Press release|Video|Podcast|Map|Speech|[^)]{0,20}\bed\.|in [^)]{1,40})\)/i;
const CHAPTER_IN = /^In\s+[^()]{1,300}?\((?:eds?\.|editors?)\)\s*[.,]?\s*/;
const PLACE_PUBLISHER =
  /(?:^|[.,]\s+)[A-Z][\p{L}.' -]{1,30}?(?:,\s[A-Z][\p{L}.]{1,20})?:\s+(?<publisher>(?:\p{Lu}\.\s)*[^,;.:()\n]+?(?:\s(?:Inc|Ltd|Co|Corp)\.)?)(?=[.,]\s|[.,]?$|\s\()/u;
const JOURNAL_VOLUME =
  /(?:^|[.,]\s)\d{1,5}(?:\s*\([^)]{1,20}\))?:\s*[A-Za-z]?\d+(?:\s*[–-]\s*[A-Za-z]?\d+)?[.,]/;
const NEWS_WORK =
  /\b(?:Times|Post|Guardian|Journal|News|Reuters|Economist|Daily|Herald|Tribune|CNN|BBC|Bloomberg|Gazette|Telegraph|Observer|Chronicle|Nikkei|Time|Forbes|Wired|Politico|Quartz|Deutsche Welle|NPR|Associated Press|Xinhua|Initium)\b/;
/** Segments that are never a work or a publisher. */
const NOT_A_NAME =
  /^(?:Retrieved|Archived|ISSN|ISBN|doi|hdl|PMID|PMC|S2CID|OCLC|JSTOR|Bibcode|arXiv|pp?\.|Vol\.|In |Translated|Edited|Written|Illustrated|via\b|\d)/i;
const SKIPPED_SEGMENT = /^(?:Translated|Edited|Written|Illustrated|Foreword|Introduction) by\b/i;
const FULL_DATE = new RegExp(`^${DATE_IN_TEXT}$`);

/** True when the `.` at `dot` ends a segment rather than an initial (`U.S.`, `W. W.`) or abbreviation. */
function endsSegment(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 4), dot);
  if (/(?:^|[\s.])\p{Lu}$/u.test(before)) return false;
  return !/(?:^|\s)(?:Inc|Ltd|Co|Corp|Jr|Sr|St|No|Vol|pp|ed|eds|Dr|Mr|Mrs|Ms|vs)$/.test(before);
}

/**
 * The field that starts at `from` (after separators and parenthesised notes): up to the next
 * `. ` that ends a segment, a parenthesised note, or — in comma-separated citations — `, `.
 */
function segmentAt(text: string, from: number, comma: boolean): { value: string; end: number } | undefined {
  let start = from;
  for (;;) {
    const skip = text.slice(start).match(/^[\s.,;:]+/);
    if (skip) start += skip[0].length;
    const note = text.slice(start).match(NOTE_PAREN);
    if (!note) break;
    start += note[0].length;
  }
  if (start >= text.length) return undefined;
  let end = text.length;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '.' && (next === ' ' || next === undefined) && endsSegment(text, i)) {
      end = i;
      break;
    }
    if (comma && c === ',' && next === ' ') {
      end = i;
      break;
    }
    if (c === ' ' && next === '(' && NOTE_PAREN.test(text.slice(i))) {
      end = i;
      break;
    }
  }
  const value = text.slice(start, end).trim();
  return value ? { value, end } : undefined;
}

/** A segment that could name a work or a publisher (not a date, an identifier or a note). */
function nameAt(text: string, from: number, comma: boolean): { value: string; end: number } | undefined {
  let at = from;
  for (let guard = 0; guard < 4; guard++) {
    const seg = segmentAt(text, at, comma);
    if (!seg) return undefined;
    if (SKIPPED_SEGMENT.test(seg.value)) {
      at = seg.end;
      continue;
    }
    if (NOT_A_NAME.test(seg.value) || FULL_DATE.test(seg.value) || seg.value.length > 150) return undefined;
    return seg;
  }
  return undefined;
}

function splitAuthors(raw: string): string[] {
  return raw
    .replace(/\s*\bet al\.?$/, '')
    .split(/\s*;\s*/)
    .map((a) => a.trim().replace(/[.,]$/, (p) => (/\b\p{Lu}\.$/u.test(a) ? p : '')))
    .filter((a) => a.length > 0);
}

function identifiersOf(text: string): Identifiers {
  const ids = emptyIdentifiers();
  for (const [kind, re] of IDENTIFIER_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const value = m.groups?.value;
      if (value) addIdentifier(ids, kind, value);
    }
  }
  return ids;
}

const spanText = (text: string, s: TextSpan): string => text.slice(s.start, s.end).trim();

function classify(
  f: CitationFields,
  text: string,
  quotedTitle: boolean,
  chapter: boolean,
): CitationClass | undefined {
  const ids = f.identifiers;
  if (JOURNAL_VOLUME.test(text) || ids.pmid.length > 0 || ids.pmc.length > 0 || ids.bibcode.length > 0) {
    return 'journal';
  }
  if (/\(Report\)/.test(text)) return 'report';
  if (ids.isbn.length > 0 || chapter || /\(\d+\w*\s+ed\.\)/.test(text)) return 'book';
  if (!quotedTitle && f.title !== undefined && f.publisher !== undefined) {
    return /\((?:PDF)\)/.test(text) ? 'report' : 'book';
  }
  if (quotedTitle) {
    if ((f.work !== undefined && NEWS_WORK.test(f.work)) || ids.issn.length > 0) return 'news';
    return 'web';
  }
  return undefined;
}

/** Reads the fields of one citation from its plain text and italic spans. */
export function parseCitation(fullText: string, italics: readonly TextSpan[]): CitationFields {
  const text = fullText.slice(0, MAX_CITATION_LENGTH);
  const f: CitationFields = { authors: [], identifiers: identifiersOf(text), archived: false };

  const access = text.match(ACCESS);
  if (access?.groups?.date) f.accessDate = parseDate(access.groups.date);
  f.archived = ARCHIVED.test(text);
  const archive = text.match(ARCHIVE_DATE);
  if (archive?.groups?.date) f.archiveDate = parseDate(archive.groups.date);
  const inactive = text.match(DOI_INACTIVE);
  if (inactive?.groups?.date) f.doiInactiveSince = parseDate(inactive.groups.date);

  // Where the trailing bookkeeping starts: titles and works come before it.
  const tail = text.search(/\b(?:Archived|Retrieved)\b/);
  const bodyEnd = tail < 0 ? text.length : tail;

  let rest = 0;
  let comma = false;
  const lead = text.match(LEAD_DATE);
  if (lead?.groups) {
    f.authors = splitAuthors(lead.groups.authors ?? '');
    f.date = parseDate(lead.groups.date);
    comma = lead.groups.sep?.trim() === ',';
    rest = lead[0].length;
  } else {
    const named = text.match(LEAD_AUTHORS);
    if (named?.groups?.authors?.includes(',')) {
      f.authors = splitAuthors(named.groups.authors);
      rest = named[0].length;
    }
  }

  // Title: a quoted title, else the first italic span (books, reports), else the first field.
  let titleEnd = rest;
  let quotedTitle = false;
  let italicTitle = false;
  const body = text.slice(rest, bodyEnd);
  const quoted = [body.match(STRAIGHT_TITLE), body.match(CURLY_TITLE)]
    .filter((m): m is RegExpMatchArray => m !== null)
    .sort((a, b) => a.index! - b.index!)[0];
  const firstItalic = italics.find((s) => s.start >= rest && s.start < bodyEnd);
  const quotedText = quoted?.groups?.title ?? quoted?.groups?.ending;
  if (quoted && quotedText && (!firstItalic || quoted.index! + rest < firstItalic.start)) {
    f.title = quotedText.trim();
    titleEnd = rest + quoted.index! + quoted[0].length;
    quotedTitle = true;
  } else if (firstItalic) {
    f.title = spanText(text, firstItalic);
    titleEnd = firstItalic.end;
    italicTitle = true;
  } else {
    const seg = segmentAt(text, rest, comma);
    if (seg && seg.end <= bodyEnd) {
      // A title whose closing quote got lost in the export still opens with one.
      quotedTitle = /^["“]/.test(seg.value);
      f.title = seg.value.replace(/^["“]/, '').trim();
      titleEnd = seg.end;
    }
  }
  if (f.title === '') delete f.title;

  // Work: the periodical or website (italic after the title), or the book of a chapter.
  let workEnd = titleEnd;
  let chapter = false;
  const afterTitle = text.slice(titleEnd).replace(/^\s*(?:\[[^\]]{0,300}\])?[\s.,]*/, '');
  const afterTitleAt = text.length - afterTitle.length;
  const chapterIn = afterTitle.match(CHAPTER_IN);
  const nextItalic = italics.find((s) => s.start >= titleEnd && s.start < bodyEnd);
  if (chapterIn) {
    chapter = true;
    const book = segmentAt(text, afterTitleAt + chapterIn[0].length, comma);
    if (book) {
      f.work = book.value;
      workEnd = book.end;
    }
  } else if (nextItalic && (quotedTitle || italicTitle)) {
    // After a book's italic title, a second italic span is its publisher set in italics.
    if (italicTitle && f.identifiers.isbn.length > 0) f.publisher = spanText(text, nextItalic);
    else f.work = spanText(text, nextItalic);
    workEnd = nextItalic.end;
  } else if (quotedTitle) {
    const seg = nameAt(text, afterTitleAt, comma);
    if (seg && seg.end <= bodyEnd) {
      f.work = seg.value;
      workEnd = seg.end;
    }
  }

  // Publisher: `Place: Publisher`, else the field after a book's title (or a chapter's book).
  const placed = text.slice(chapter ? workEnd : titleEnd, bodyEnd).match(PLACE_PUBLISHER);
  if (placed?.groups?.publisher) {
    f.publisher = placed.groups.publisher.trim();
    // `New York: *W. W. Norton*`: the italic span was the publisher, not a periodical.
    if (f.work === f.publisher) delete f.work;
  } else if (f.publisher === undefined && (chapter || !quotedTitle)) {
    const seg = f.title !== undefined ? nameAt(text, workEnd, comma) : undefined;
    if (seg && seg.end <= bodyEnd) f.publisher = seg.value;
  }

  if (f.date === undefined) {
    const standalone = text
      .slice(titleEnd, bodyEnd)
      .match(new RegExp(`(?:^|[.,]\\s)${DATE}(?=[.,]\\s|[.,]?$)`));
    if (standalone?.groups?.date) f.date = parseDate(standalone.groups.date);
  }

  const citationClass = classify(f, text, quotedTitle, chapter);
  if (citationClass) f.citationClass = citationClass;
  return f;
}
