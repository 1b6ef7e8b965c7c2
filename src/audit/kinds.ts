/**
 * Every finding kind the offline audit emits, with what it means. The kinds are stable: reports,
 * `--fail-on` and the history compare them across runs.
 */

/** Kind → one line saying when the audit emits it and at which severity. */
export const AUDIT_KIND_DESCRIPTIONS: Readonly<Record<string, string>> = {
  // Maintenance tags in the body: the finding's kind is the tag's kind.
  'citation-needed': 'A sentence tagged [citation needed] (warning).',
  who: 'A sentence tagged [who?]: it names no one (warning).',
  when: 'A sentence tagged [when?]: it needs a date or period (warning).',
  which: 'A sentence tagged [which?]: it needs to say which one (warning).',
  'original-research': 'A sentence tagged [original research?] (warning).',
  dubious: 'A sentence tagged [dubious] (warning).',
  'better-source-needed': 'A sentence tagged [better source needed] (warning).',
  'failed-verification': 'A sentence tagged [failed verification]: its source does not support it (warning).',
  'clarification-needed': 'A sentence tagged [clarification needed] (warning).',
  'according-to-whom': 'A sentence tagged [according to whom?] (warning).',
  'by-whom': 'A sentence tagged [by whom?] (warning).',
  'unreliable-source': 'A sentence or reference tagged [unreliable source?] (warning).',
  'page-needed': 'A citation tagged [page needed] (warning).',
  'maintenance-tag': 'Any other inline maintenance tag (warning).',
  'dead-link-tag': 'A reference whose link an editor or bot tagged [dead link] (warning).',
  // Claims without a source.
  'uncited-paragraph':
    'A paragraph with no citation and no tag (warning; info in the lead, per MOS:LEADCITE). Blocks under 40 characters are skipped.',
  'uncited-sentence':
    'Sentences after the last citation of a cited paragraph (warning; info in the lead). Tagged sentences are left to their tag.',
  'uncited-list': 'A list with no citation and no tag (info).',
  'uncited-table':
    'A table with no citation and no tag (warning; info in the lead, where tables are infoboxes).',
  'uncited-quote':
    'A block quotation with no citation of its own (info: the introducing sentence may cite it).',
  // References.
  'missing-reference': 'An inline marker that points at no reference (error), once per missing reference.',
  'unused-reference': 'A reference that no inline marker cites (warning); explanatory notes are skipped.',
  'duplicate-reference': 'Several references that cite the same source (warning), once per group.',
  'invalid-identifier': 'An ISBN, ISSN, DOI, PMID, arXiv id, … that fails its check digit or syntax (error).',
  'doi-flagged-inactive': 'A DOI the article marks inactive (CS1 doi-broken-date) (warning).',
  'incomplete-citation':
    'A reference without a date, without a publisher or work, or with nothing to find it by (warning), once per reference.',
  'no-archive': 'A web source without an archive copy (info; warning when its link is already marked dead).',
  'date-inconsistency':
    'Retrieved before published, a date in the future, or archived before published (warning), once per reference.',
  'trailing-content': 'Content after the references that belongs to no reference, e.g. an advert (info).',
};

/** Every kind the audit can emit; see {@link AUDIT_KIND_DESCRIPTIONS} for what each means. */
export const AUDIT_KINDS: readonly string[] = Object.freeze(Object.keys(AUDIT_KIND_DESCRIPTIONS));
