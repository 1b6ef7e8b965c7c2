/**
 * Identifiers checked offline: `invalid-identifier` (check digits and syntax, by
 * `identifierProblem`; error) and `doi-flagged-inactive` (a DOI the article itself marks
 * inactive, CS1 `doi-broken-date`). The latter is a warning, like a `[dead link]` tag: a reader
 * following the DOI reaches nothing, and whether it resolves again is for the network check.
 */
import { identifierProblem } from '../core/identifiers.js';
import { type Finding, IDENTIFIER_KINDS, type IdentifierKind } from '../model.js';
import { type AuditContext, referenceFinding, referenceLabel, upperFirst } from './context.js';

/** How identifiers are written in citations. */
const DISPLAY: Record<IdentifierKind, string> = {
  doi: 'DOI',
  isbn: 'ISBN',
  issn: 'ISSN',
  pmid: 'PMID',
  pmc: 'PMC',
  arxiv: 'arXiv id',
  bibcode: 'Bibcode',
  s2cid: 'S2CID',
  hdl: 'handle',
  jstor: 'JSTOR id',
  oclc: 'OCLC number',
};

/** The ISBN check digit that would make the first digits valid, for the suggestion. */
function isbnCheckDigit(isbn: string): string | undefined {
  if (/^\d{9}[\dX]$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(isbn[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    return check === 10 ? 'X' : String(check);
  }
  if (/^97[89]\d{10}$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(isbn[i]) * (i % 2 === 0 ? 1 : 3);
    return String((10 - (sum % 10)) % 10);
  }
  return undefined;
}

function issnCheckDigit(issn: string): string | undefined {
  const d = issn.replace('-', '');
  if (!/^\d{7}[\dX]$/.test(d)) return undefined;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(d[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** Why an identifier is invalid, in words, from `identifierProblem`'s stable reason. */
export function explainIdentifierProblem(kind: IdentifierKind, value: string, reason: string): string {
  if (reason.startsWith('isbn-length-')) {
    return `an ISBN has 10 or 13 digits, this one has ${value.length}`;
  }
  switch (reason) {
    case 'isbn-check-digit': {
      const expected = isbnCheckDigit(value);
      return `its check digit ${value.at(-1)} does not match the other digits${expected ? ` (they give ${expected})` : ''}`;
    }
    case 'issn-check-digit': {
      const expected = issnCheckDigit(value);
      return expected
        ? `its check digit ${value.at(-1)} does not match the other digits (they give ${expected})`
        : 'an ISSN has eight characters, NNNN-NNNC';
    }
    case 'doi-syntax':
      return 'a DOI is "10.", a registrant number, "/" and a suffix without spaces';
    case 'pmid-syntax':
      return 'a PMID is a number of up to nine digits, without leading zeros';
    case 'arxiv-syntax':
      return 'an arXiv id looks like 2103.06312 or hep-th/9901001';
    default:
      return reason.endsWith('-empty')
        ? `the ${DISPLAY[kind]} is empty`
        : `a ${DISPLAY[kind]} is digits only`;
  }
}

function invalidIdentifiers(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const references = ctx.article.references;
  // Indexed loops: most references have no identifier, and for-of allocates an iterator
  // result per step until the loop is optimised.
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    for (let k = 0; k < IDENTIFIER_KINDS.length; k++) {
      const kind = IDENTIFIER_KINDS[k]!;
      const values = ref.identifiers[kind];
      for (let v = 0; v < values.length; v++) {
        const value = values[v]!;
        const reason = identifierProblem(kind, value);
        if (reason === undefined) continue;
        findings.push(
          referenceFinding(ctx, ref, {
            kind: 'invalid-identifier',
            severity: 'error',
            message: `${upperFirst(referenceLabel(ref))}: ${DISPLAY[kind]} ${value} is invalid: ${explainIdentifierProblem(kind, value, reason)}.`,
            suggestion: `Check the ${DISPLAY[kind]} against the source itself (a typo, or one copied from another edition) and correct or remove it.`,
          }),
        );
      }
    }
  }
  return findings;
}

function inactiveDois(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const references = ctx.article.references;
  for (let r = 0; r < references.length; r++) {
    const ref = references[r]!;
    if (!ref.doiInactiveSince) continue;
    const dois = ref.identifiers.doi;
    const doi = dois.length > 0 ? `DOI ${dois.join(', ')}` : 'its DOI';
    const check = dois.length > 0 ? dois.map((d) => `https://doi.org/${d}`).join(', ') : 'the DOI';
    findings.push(
      referenceFinding(ctx, ref, {
        kind: 'doi-flagged-inactive',
        severity: 'warning',
        message: `${upperFirst(referenceLabel(ref))}: ${doi} is marked inactive since ${ref.doiInactiveSince}.`,
        suggestion: `Check whether ${check} resolves again; if it does, remove |doi-broken-date=, otherwise keep it and cite an archive copy or a URL.`,
      }),
    );
  }
  return findings;
}

export function auditIdentifiers(ctx: AuditContext): Finding[] {
  return [...invalidIdentifiers(ctx), ...inactiveDois(ctx)];
}
