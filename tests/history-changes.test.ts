import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { squash } from '../src/core/text.js';
import {
  type ArticleState,
  articleKey,
  articleStateOf,
  diffRuns,
  referenceFingerprint,
} from '../src/history/index.js';
import type { Finding, LinkCheck, Reference, RunInfo, Verdict } from '../src/model.js';
import { buildReport } from '../src/report/index.js';
import { article, paragraph, reference, tag } from './support/article-builder.js';

const run = (now: string): RunInfo => ({ now, offline: false, requests: 0, savedByCadence: 0 });

const check = (verdict: Verdict): LinkCheck => ({
  outcome: verdict === 'suspect' ? 'dead' : verdict,
  verdict,
  reason: verdict === 'alive' ? 'http-200' : 'http-404',
  checkedAt: '2026-11-28T03:00:00.000Z',
});

const web = (id: string, url: string, verdict: Verdict, fields: Partial<Reference> = {}): Reference =>
  reference(id, { title: `Title ${id}`, links: [{ url, role: 'source', check: check(verdict) }], ...fields });

const unsourced = (quote: string): Finding => ({
  kind: 'citation-needed',
  severity: 'warning',
  message: 'A claim is tagged as needing a citation.',
  referenceIds: [],
  location: { section: 'History' },
  quote,
});

interface Shape {
  sha?: string;
  refs: Reference[];
  tags?: ReturnType<typeof tag>[];
  findings?: Finding[];
  now?: string;
}

function stateOf(shape: Shape): ArticleState {
  const a = article({
    blocks: [paragraph('History', ['First sentence here.', 'Second sentence here.', 'Third one.'])],
    references: shape.refs,
    tags: shape.tags ?? [],
  });
  a.source.sha256 = shape.sha ?? 'a'.repeat(64);
  return articleStateOf(buildReport(a, shape.findings ?? [], run(shape.now ?? '2026-11-28T03:00:00.000Z')));
}

describe('diffRuns', () => {
  it('reports nothing on the first run', () => {
    const current = stateOf({ refs: [web('1', 'https://a.test/', 'dead')], findings: [unsourced('x')] });
    expect(diffRuns(undefined, current)).toEqual({
      revisionChanged: false,
      newlyDead: [],
      newlySuspect: [],
      recovered: [],
      newlyBlocked: [],
      referencesAdded: [],
      referencesRemoved: [],
      tagsAdded: [],
      tagsRemoved: [],
      newUnsourcedClaims: 0,
    });
  });

  it('sorts links by how their verdict moved', () => {
    const before = stateOf({
      now: '2026-11-27T03:00:00.000Z',
      refs: [
        web('1', 'https://to-dead.test/', 'suspect'),
        web('2', 'https://to-suspect.test/', 'alive'),
        web('3', 'https://back.test/', 'dead'),
        web('4', 'https://walled.test/', 'alive'),
        web('5', 'https://same.test/', 'dead'),
        web('6', 'https://was-suspect.test/', 'suspect'),
      ],
    });
    const after = stateOf({
      refs: [
        web('1', 'https://to-dead.test/', 'dead'),
        web('2', 'https://to-suspect.test/', 'suspect'),
        web('3', 'https://back.test/', 'alive'),
        web('4', 'https://walled.test/', 'blocked'),
        web('5', 'https://same.test/', 'dead'),
        web('6', 'https://was-suspect.test/', 'alive'),
        web('7', 'https://new-dead.test/', 'dead'),
      ],
    });
    const changes = diffRuns(before, after);
    expect(changes.previousRunAt).toBe('2026-11-27T03:00:00.000Z');
    expect(changes.revisionChanged).toBe(false);
    expect(changes.newlyDead).toEqual([
      { url: 'https://to-dead.test/', referenceIds: ['1'], from: 'suspect', to: 'dead', reason: 'http-404' },
      { url: 'https://new-dead.test/', referenceIds: ['7'], to: 'dead', reason: 'http-404' },
    ]);
    expect(changes.newlySuspect.map((l) => [l.url, l.from])).toEqual([['https://to-suspect.test/', 'alive']]);
    expect(changes.recovered.map((l) => [l.url, l.from])).toEqual([
      ['https://back.test/', 'dead'],
      ['https://was-suspect.test/', 'suspect'],
    ]);
    expect(changes.newlyBlocked.map((l) => l.url)).toEqual(['https://walled.test/']);
    expect(changes.referencesAdded).toEqual(['Title 7']);
    expect(changes.referencesRemoved).toEqual([]);
  });

  it('matches references by DOI, else first source URL, else title', () => {
    const byDoi = reference('1', { title: 'Old title', identifiers: { doi: ['10.1000/abc'] } });
    const byUrl = web('2', 'https://b.test/', 'alive', { title: 'Old B' });
    const byTitle = reference('3', { title: 'A  Book Title' });
    const before = stateOf({ refs: [byDoi, byUrl, byTitle, reference('4', { text: 'x'.repeat(200) })] });
    const after = stateOf({
      sha: 'b'.repeat(64),
      refs: [
        { ...byDoi, title: 'New title' },
        { ...byUrl, title: 'New B' },
        reference('3', { title: 'a book title' }),
        reference('5', { title: 'Fresh reference' }),
      ],
    });
    const changes = diffRuns(before, after);
    expect(changes.referencesAdded).toEqual(['Fresh reference']);
    expect(changes.referencesRemoved).toEqual(['x'.repeat(80)]);
    expect(referenceFingerprint(byDoi).fingerprint).toBe('doi:10.1000/abc');
    expect(referenceFingerprint(byUrl).fingerprint).toBe('url:https://b.test/');
    expect(referenceFingerprint(byTitle).fingerprint).toBe('title:a book title');
  });

  it('reports tags only when the content changed', () => {
    const tagsBefore = [tag('citation-needed', 0, 0), tag('who', 0, 1)];
    const tagsAfter = [tag('citation-needed', 0, 0), tag('dubious', 0, 2)];
    const before = stateOf({ refs: [], tags: tagsBefore });
    const sameText = stateOf({ refs: [], tags: tagsAfter });
    expect(diffRuns(before, sameText).tagsAdded).toEqual([]);
    expect(diffRuns(before, sameText).tagsRemoved).toEqual([]);

    const edited = stateOf({ sha: 'c'.repeat(64), refs: [], tags: tagsAfter });
    const changes = diffRuns(before, edited);
    expect(changes.revisionChanged).toBe(true);
    expect(changes.tagsAdded).toEqual([{ kind: 'dubious', text: 'dubious', sentence: 'Third one.' }]);
    expect(changes.tagsRemoved).toEqual([{ kind: 'who', text: 'who', sentence: 'Second sentence here.' }]);
  });

  it('compares revisions when both runs know them', () => {
    const before = { ...stateOf({ refs: [] }), revisionId: 10 };
    expect(
      diffRuns(before, { ...stateOf({ refs: [], sha: 'd'.repeat(64) }), revisionId: 10 }).revisionChanged,
    ).toBe(false);
    expect(diffRuns(before, { ...stateOf({ refs: [] }), revisionId: 11 }).revisionChanged).toBe(true);
  });

  it('counts unsourced claims that were not there before', () => {
    const before = stateOf({ refs: [], findings: [unsourced('Claim A.'), unsourced('Claim B.')] });
    const after = stateOf({
      refs: [],
      findings: [
        unsourced('Claim A.'),
        unsourced('Claim C.'),
        unsourced('Claim C.'),
        { ...unsourced('Info.'), severity: 'info' },
      ],
    });
    expect(after.unsourced).toHaveLength(3);
    expect(diffRuns(before, after).newUnsourcedClaims).toBe(2);
  });

  it('keys an article by wiki and title, or by title', () => {
    const a = article();
    expect(articleKey(a)).toBe('title:test article');
    a.source.wiki = {
      endpoint: 'https://en.wikipedia.org/w/api.php',
      title: 'Test article',
      fetchedAt: '2026-11-28T03:00:00.000Z',
    };
    expect(articleKey(a)).toBe('wiki:https://en.wikipedia.org/w/api.php#Test article');
  });
});

describe('reference fingerprints', () => {
  /** The fingerprint as it was made before issue 14 (title and text squashed twice). */
  const before = (ref: Reference) => {
    const normal = (t: string): string => squash(t).toLowerCase();
    const doi = ref.identifiers.doi[0];
    const url = ref.links.find((l) => l.role === 'source')?.url;
    const title = ref.title ? normal(ref.title) : '';
    const fingerprint = doi
      ? `doi:${doi}`
      : url
        ? `url:${url}`
        : title
          ? `title:${title}`
          : `text:${normal(ref.text)}`;
    const description = squash(ref.title ?? '') || squash(ref.text).slice(0, 80);
    return { fingerprint, description };
  };
  const words = fc.constantFrom(
    '',
    ' ',
    '  \n\t',
    'Title',
    'ÉTÉ',
    'a  b',
    ' x ',
    'İstanbul',
    'word '.repeat(30),
  );
  const text = fc.array(words, { maxLength: 4 }).map((w) => w.join(''));

  it('are the ones made before, for any title, text, DOI and links', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: undefined }),
        text,
        fc.option(fc.constant('10.1000/x'), { nil: undefined }),
        fc.array(fc.constantFrom('source', 'archive', 'identifier'), { maxLength: 3 }),
        (title, body, doi, roles) => {
          const ref = reference('1', {
            text: body,
            links: roles.map((role, i) => ({ url: `https://example.org/${i}`, role })),
            ...(title !== undefined && { title }),
            ...(doi !== undefined && { identifiers: { doi: [doi] } }),
          });
          expect(referenceFingerprint(ref)).toEqual(before(ref));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
