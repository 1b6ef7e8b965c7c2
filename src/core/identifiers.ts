/**
 * Identifier normalisation and offline validation (check digits, syntax). Pure functions:
 * the network checks of identifiers live in `check/`.
 */
import type { IdentifierKind, Identifiers } from '../model.js';

/** DOI lower-cased, without `doi:` or a resolver prefix, trailing punctuation removed. */
export function normalizeDoi(raw: string): string {
  let s = raw.trim();
  try {
    s = decodeURIComponent(s);
  } catch {
    // keep the raw text: a lone `%` is legal in a DOI
  }
  s = s
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .replace(/[.,;:]+$/, '');
  return s.toLowerCase();
}

/** ISBN digits only (and a final `X`), hyphens and spaces removed. */
export const normalizeIsbn = (raw: string): string =>
  raw
    .replace(/^ISBN[-\s:]*(1[03])?:?\s*/i, '')
    .replace(/[^0-9Xx]/g, '')
    .toUpperCase();

/** ISSN as `NNNN-NNNC`. */
export function normalizeIssn(raw: string): string {
  const d = raw.replace(/[^0-9Xx]/g, '').toUpperCase();
  return d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4)}` : d;
}

export const normalizeArxiv = (raw: string): string =>
  raw
    .trim()
    .replace(/^arxiv:\s*/i, '')
    .replace(/v\d+$/, '');
export const normalizeDigits = (raw: string): string => raw.replace(/\D/g, '');
export const normalizePmc = (raw: string): string => raw.trim().replace(/^PMC/i, '').replace(/\D/g, '');

/** Normalises a value of any identifier kind the way the model stores it. */
export function normalizeIdentifier(kind: IdentifierKind, raw: string): string {
  switch (kind) {
    case 'doi':
      return normalizeDoi(raw);
    case 'isbn':
      return normalizeIsbn(raw);
    case 'issn':
      return normalizeIssn(raw);
    case 'pmid':
    case 's2cid':
    case 'oclc':
      return normalizeDigits(raw);
    case 'pmc':
      return normalizePmc(raw);
    case 'arxiv':
      return normalizeArxiv(raw);
    case 'hdl':
      return raw
        .trim()
        .replace(/^(?:https?:\/\/)?hdl\.handle\.net\//i, '')
        .replace(/^hdl:\s*/i, '');
    case 'jstor':
    case 'bibcode':
      return raw.trim();
  }
}

/** Adds a normalised identifier once. */
export function addIdentifier(ids: Identifiers, kind: IdentifierKind, raw: string): void {
  const value = normalizeIdentifier(kind, raw);
  if (value && !ids[kind].includes(value)) ids[kind].push(value);
}

export function isValidIsbn(isbn: string): boolean {
  if (/^\d{9}[\dX]$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) {
      const c = isbn[i]!;
      sum += (c === 'X' ? 10 : Number(c)) * (10 - i);
    }
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(isbn[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  return false;
}

export function isValidIssn(issn: string): boolean {
  const d = issn.replace('-', '');
  if (!/^\d{7}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(d[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  return d[7] === (check === 10 ? 'X' : String(check));
}

/** DOI syntax: `10.` registrant code, a slash, a non-empty suffix without spaces. */
export const isValidDoi = (doi: string): boolean => /^10\.\d{4,9}(\.\d+)*\/\S+$/.test(doi);

export const isValidPmid = (v: string): boolean => /^[1-9]\d{0,8}$/.test(v);
export const isValidArxiv = (v: string): boolean =>
  /^\d{4}\.\d{4,5}$/.test(v) || /^[a-z-]+(\.[A-Z]{2})?\/\d{7}$/.test(v);

/**
 * Offline validity of one identifier: `undefined` when valid, else why not (a stable reason).
 */
export function identifierProblem(kind: IdentifierKind, value: string): string | undefined {
  switch (kind) {
    case 'isbn':
      if (value.length !== 10 && value.length !== 13) return `isbn-length-${value.length}`;
      return isValidIsbn(value) ? undefined : 'isbn-check-digit';
    case 'issn':
      return isValidIssn(value) ? undefined : 'issn-check-digit';
    case 'doi':
      return isValidDoi(value) ? undefined : 'doi-syntax';
    case 'pmid':
      return isValidPmid(value) ? undefined : 'pmid-syntax';
    case 'arxiv':
      return isValidArxiv(value) ? undefined : 'arxiv-syntax';
    case 'pmc':
    case 's2cid':
    case 'oclc':
      return /^\d+$/.test(value) ? undefined : `${kind}-syntax`;
    default:
      return value.length > 0 ? undefined : `${kind}-empty`;
  }
}
