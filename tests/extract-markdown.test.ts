import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, InputError } from '../src/errors.js';
import { extractMarkdown } from '../src/extract/markdown.js';
import { tagKind } from '../src/extract/markdown-markers.js';
import { type Article, Article as ArticleSchema } from '../src/model.js';
import { readFixture, readSeed, sourceFor } from './support/fixtures.js';

const extract = (text: string): Article => extractMarkdown(text, sourceFor(text, 'snippet.md'));

/** A one-reference article, to read the reference back. */
const withReference = (line: string): Article =>
  extract(`Title\n\nA claim.^[1]\n\nReferences\n\n[-]\n\n${line}\n`);
const firstReference = (line: string) => withReference(line).references[0]!;

describe('extractMarkdown: structure', () => {
  it('takes the title from the first non-empty line', () => {
    const a = extract('\n\n  \n\nArtificial intelligence industry in China\n\nThe lead.\n');
    expect(a.title).toBe('Artificial intelligence industry in China');
    expect(a.blocks.map((b) => b.text)).toEqual(['The lead.']);
  });

  it('reads headings marked by [-] or [.] after blank lines, level 2, after a level-1 lead', () => {
    const a = extract('T\n\nLead text.\n\nHistory\n\n\n\n[-]\n\nOld.\n\nMilitary impact\n\n[.]\n\nWar.\n');
    expect(a.sections).toEqual([
      { title: '(lead)', level: 1, line: 1 },
      { title: 'History', level: 2, line: 5 },
      { title: 'Military impact', level: 2, line: 13 },
    ]);
    expect(a.blocks.map((b) => [b.section, b.text, b.line])).toEqual([
      ['(lead)', 'Lead text.', 3],
      ['History', 'Old.', 11],
      ['Military impact', 'War.', 17],
    ]);
  });

  it('keeps the level of Markdown headings (a sound signal the seed does not have)', () => {
    const a = extract('# Title\n\nLead.\n\n## Impact\n\nA.\n\n### Economic impact\n\nB.\n');
    expect(a.title).toBe('Title');
    expect(a.sections.map((s) => [s.title, s.level])).toEqual([
      ['(lead)', 1],
      ['Impact', 2],
      ['Economic impact', 3],
    ]);
  });

  it('ignores page-break debris: runs of blank lines and lines holding a lone space', () => {
    const a = extract('T\n\nOne.\n \n\n\n \nTwo.\n\n\n\n');
    expect(a.blocks.map((b) => [b.text, b.line])).toEqual([
      ['One.', 3],
      ['Two.', 8],
    ]);
  });

  it('joins a paragraph split mid-sentence by a page break before a quote', () => {
    const a = extract(
      'T\n\nScholars wrote in the [PLA Daily](#) that the\n\n\n\n"transferability of social resources" is essential.^[15]\n',
    );
    expect(a.blocks).toHaveLength(1);
    expect(a.blocks[0]!.text).toBe(
      'Scholars wrote in the PLA Daily that the "transferability of social resources" is essential.',
    );
    expect(a.blocks[0]!.line).toBe(3);
    expect(a.citations).toEqual([{ referenceId: '15', block: 0, sentence: 0, line: 7 }]);
  });

  it('joins a paragraph split mid-sentence before a lower-case word', () => {
    const a = extract('T\n\nIt recommended the community to similarly\n\n\n\nprioritize expertise.\n');
    expect(a.blocks.map((b) => b.text)).toEqual([
      'It recommended the community to similarly prioritize expertise.',
    ]);
  });

  it('does not join finished paragraphs, nor unfinished ones followed by a capital', () => {
    const a = extract('T\n\nFirst ends here.^[1]\n\nlower start.\n\nNo full stop\n\nCapital start.\n');
    expect(a.blocks.map((b) => b.text)).toEqual([
      'First ends here.',
      'lower start.',
      'No full stop',
      'Capital start.',
    ]);
  });

  it('attaches a markers-only block after a page break to the paragraph before it', () => {
    const a = extract('T\n\nA claim.\n\n\n\n^[4]\n');
    expect(a.blocks).toHaveLength(1);
    expect(a.citations).toEqual([{ referenceId: '4', block: 0, sentence: 0, line: 7 }]);
  });

  it('turns tab-separated rows into one table block, a row per sentence, with its caption', () => {
    const a = extract(
      'T\n\nChronology of major policies\n\n\n\nYear\tPolicy document\tIssued by\n2015\tMade in China 2025^[3]\tPremier Li\n',
    );
    expect(a.blocks).toHaveLength(1);
    const table = a.blocks[0]!;
    expect(table.kind).toBe('table');
    expect(table.line).toBe(3);
    expect(table.sentences).toEqual([
      'Chronology of major policies',
      'Year | Policy document | Issued by',
      '2015 | Made in China 2025 | Premier Li',
    ]);
    expect(a.citations).toEqual([{ referenceId: '3', block: 0, sentence: 2, line: 8 }]);
  });

  it('turns "- " rows into one list block, joining rows wrapped without a bullet', () => {
    const a = extract(
      'T\n\n- 2019 [Guidelines](#) (国家新一代) [Ministry](#)\n- 2020 [Guidance](#) Central Administration;\nNational Commission;\nMinistry of Science\n- 2021 Law\n',
    );
    expect(a.blocks).toHaveLength(1);
    expect(a.blocks[0]!.kind).toBe('list');
    expect(a.blocks[0]!.sentences).toEqual([
      '2019 Guidelines (国家新一代) Ministry',
      '2020 Guidance Central Administration; National Commission; Ministry of Science',
      '2021 Law',
    ]);
  });

  it('drops hatnotes', () => {
    const a = extract(
      'T\n\nCensorship\n\n[-]\n\nFurther information: [Internet censorship in China](#)\n\nText.\n',
    );
    expect(a.blocks.map((b) => b.text)).toEqual(['Text.']);
  });

  it('makes no block of the See also navigation list', () => {
    const a = extract(
      'T\n\nText.\n\nSee also\n\n[-]\n\n- [Artificial intelligence](#)\n- [China Brain Project](#)\n',
    );
    expect(a.sections.map((s) => s.title)).toEqual(['(lead)', 'See also']);
    expect(a.blocks.map((b) => b.text)).toEqual(['Text.']);
  });
});

describe('extractMarkdown: inline text', () => {
  it('reduces links to their text and resolves escapes, a doubly escaped dollar included', () => {
    const a = extract(
      'T\n\nThe [State Council](#) budgeted \\$2.1 billion, [SenseTime \\(商汤\\)](#) and \\[sic\\] got \\\\$4.5 billion.\n',
    );
    expect(a.blocks[0]!.text).toBe(
      'The State Council budgeted $2.1 billion, SenseTime (商汤) and [sic] got $4.5 billion.',
    );
  });

  it('removes bold and italic markup and keeps CJK text', () => {
    const a = extract("T\n\nThe **AI industry** published '*the Ethics Code*' in 连接愛与和平 text.\n");
    expect(a.blocks[0]!.text).toBe("The AI industry published 'the Ethics Code' in 连接愛与和平 text.");
  });

  it('keeps a lone star as text', () => {
    expect(extract('T\n\nFive * three is fifteen.\n').blocks[0]!.text).toBe('Five * three is fifteen.');
  });

  it('keeps bracketed text that is neither a link nor a marker', () => {
    const a = extract(
      'T\n\nThe plan (State Council Document [2017] No. 35) was issued. They said "goals of SCR [smart court reform]."^[81]\n',
    );
    expect(a.blocks[0]!.text).toContain('(State Council Document [2017] No. 35)');
    expect(a.blocks[0]!.text).toContain('[smart court reform]');
    expect(a.citations.map((c) => c.referenceId)).toEqual(['81']);
  });
});

describe('extractMarkdown: inline markers', () => {
  it.each([
    ['^[12]', [{ referenceId: '12' }]],
    ['^{[5][6]}', [{ referenceId: '5' }, { referenceId: '6' }]],
    ['^{[36]: 167}', [{ referenceId: '36', pages: '167' }]],
    [
      '^{[25]: 283 [28]: 101}',
      [
        { referenceId: '25', pages: '283' },
        { referenceId: '28', pages: '101' },
      ],
    ],
    ['^{[4]:12-14}', [{ referenceId: '4', pages: '12-14' }]],
    ['^{[60][4]:12-14}', [{ referenceId: '60' }, { referenceId: '4', pages: '12-14' }]],
  ])('reads %s', (marker, expected) => {
    const a = extract(`T\n\nA claim.${marker}\n`);
    expect(a.citations).toEqual(expected.map((c) => ({ ...c, block: 0, sentence: 0, line: 3 })));
    expect(a.blocks[0]!.text).toBe('A claim.');
  });

  it('gives each marker the sentence it directly follows, and its own line', () => {
    const a = extract('T\n\nIn April 2023,^[48] the CAC acted.^{[49][25]:278} Then more.\nNext line.^[50]\n');
    expect(a.blocks[0]!.sentences).toEqual(['In April 2023, the CAC acted.', 'Then more.', 'Next line.']);
    expect(a.citations).toEqual([
      { referenceId: '48', block: 0, sentence: 0, line: 3 },
      { referenceId: '49', block: 0, sentence: 0, line: 3 },
      { referenceId: '25', block: 0, sentence: 0, pages: '278', line: 3 },
      { referenceId: '50', block: 0, sentence: 2, line: 4 },
    ]);
  });

  it('reads maintenance tags, alone or inside a marker group', () => {
    const a = extract(
      'T\n\nMost agencies^[who?] hold views. Qin was chairman.^[citation needed] The law passed.^{[76][original research?]}\n',
    );
    expect(a.tags).toEqual([
      { kind: 'who', text: 'who?', block: 0, sentence: 0, line: 3 },
      { kind: 'citation-needed', text: 'citation needed', block: 0, sentence: 1, line: 3 },
      { kind: 'original-research', text: 'original research?', block: 0, sentence: 2, line: 3 },
    ]);
    expect(a.citations).toEqual([{ referenceId: '76', block: 0, sentence: 2, line: 3 }]);
    expect(a.blocks[0]!.text).toBe('Most agencies hold views. Qin was chairman. The law passed.');
  });

  it.each([
    ['citation needed', 'citation-needed'],
    ['who?', 'who'],
    ['when?', 'when'],
    ['which?', 'which'],
    ['original research?', 'original-research'],
    ['dubious – discuss', 'dubious'],
    ['better source needed', 'better-source-needed'],
    ['failed verification', 'failed-verification'],
    ['dead link', 'dead-link'],
    ['permanent dead link', 'dead-link'],
    ['clarification needed', 'clarification-needed'],
    ['according to whom?', 'according-to-whom'],
    ['by whom?', 'by-whom'],
    ['unreliable source?', 'unreliable-source'],
    ['page needed', 'page-needed'],
    ['vague', 'other'],
  ])('maps the tag text %j to %s', (text, kind) => {
    expect(tagKind(text)).toBe(kind);
  });

  it('ignores explanatory-note markers', () => {
    const a = extract('T\n\nA claim.^[a] Another.^[note 1]\n');
    expect(a.citations).toEqual([]);
    expect(a.tags).toEqual([]);
  });

  it('counts inline citations per reference from the markers', () => {
    const a = extract(
      'T\n\nOne.^[1] Two.^{[1][2]} Three.^{[2]: 5}\n\nReferences\n\n[-]\n\n1. ^ [Jump up to:](#)^{a b c d} "A". W.\n2. ^a "B". W.\n',
    );
    expect(a.references.map((r) => [r.id, r.inlineCitations])).toEqual([
      ['1', 2],
      ['2', 2],
    ]);
  });
});

describe('extractMarkdown: references', () => {
  it.each([
    ['^ [Jump up to:](#)^{a b} '],
    ['^a '],
    ['[^] '],
    ['^ '],
    ['^a [Jump up to:](#) ^{a b} '],
    ['[^] ^{Jump up to:}^a ^b ^c '],
    ['^ [Jump up to:](#) ^a '],
    ['[^] [Jump up to:](#) [^] ^b '],
  ])('strips the backlink form %j', (backlink) => {
    const ref = firstReference(`1. ${backlink}Zeng, Jinghan (2021-09-16). "Securitization". *The Journal*.`);
    expect(ref.text).toBe('Zeng, Jinghan (2021-09-16). "Securitization". The Journal.');
  });

  it('strips backlinks moved inside a link', () => {
    const ref = firstReference(
      '73. [^] [Jump up to:^a ^b "China has become a scientific superpower". The Economist. ISSN 0013-0613](#). Retrieved 2024-09-27.',
    );
    expect(ref.text).toBe(
      '"China has become a scientific superpower". The Economist. ISSN 0013-0613. Retrieved 2024-09-27.',
    );
    expect(ref.id).toBe('73');
    expect(ref.number).toBe(73);
    expect(ref.title).toBe('China has become a scientific superpower');
    expect(ref.work).toBe('The Economist');
    expect(ref.identifiers.issn).toEqual(['0013-0613']);
    expect(ref.accessDate).toBe('2024-09-27');
  });

  it('reads a whole reference wrapped in one link, with escaped Markdown inside', () => {
    const ref = firstReference(
      '60. ^ [Jump up to:](#)^{a b c d} [Artificial Intelligence and National Security \\(PDF\\). Washington, DC: Congressional Research Service. 2019. Archived \\(PDF\\) from the original on 2020-05-08. Retrieved 2020-04-30. [Ⓒ] This article incorporates text from this source, which is in the \\[public domain\\]\\(#\\).](#)',
    );
    expect(ref.text).toBe(
      'Artificial Intelligence and National Security (PDF). Washington, DC: Congressional Research Service. 2019. Archived (PDF) from the original on 2020-05-08. Retrieved 2020-04-30. [Ⓒ] This article incorporates text from this source, which is in the public domain.',
    );
    expect(ref.title).toBe('Artificial Intelligence and National Security');
    expect(ref.publisher).toBe('Congressional Research Service');
    expect(ref.date).toBe('2019-01-01');
    expect(ref.archive).toEqual({ present: true, date: '2020-05-08' });
    expect(ref.accessDate).toBe('2020-04-30');
  });

  it('reads authors, date, quoted title, italic work, place and publisher, identifiers', () => {
    const ref = firstReference(
      '1. ^ [Jump up to:](#)^{a b} Chang, Huey-Meei; Hannas, William C. (2022-06-22), "Foreign support, alliances, and technology transfer", *Chinese Power and Artificial Intelligence* (1 ed.), London: [Routledge](#), pp. 36–54, [doi:10.4324/9781003212980-4](#), [ISBN 978-1-003-21298-0](#)',
    );
    expect(ref).toMatchObject({
      authors: ['Chang, Huey-Meei', 'Hannas, William C.'],
      date: '2022-06-22',
      title: 'Foreign support, alliances, and technology transfer',
      work: 'Chinese Power and Artificial Intelligence',
      publisher: 'Routledge',
      citationClass: 'book',
      line: 9,
      archive: { present: false },
      links: [],
    });
    expect(ref.identifiers.doi).toEqual(['10.4324/9781003212980-4']);
    expect(ref.identifiers.isbn).toEqual(['9781003212980']);
    expect(ref.accessDate).toBeUndefined();
  });

  it('reads a journal citation: bold volume, Bibcode, DOI, PMID', () => {
    const ref = firstReference(
      '21. ^a [Jump up to:](#) ^{a b} Cyranoski, David (January 17, 2018). ["China enters the battle for AI talent"](#). *Nature*. **553** (7688): 260–261. [Bibcode:2018Natur.553..260C](#). [doi:10.1038/d41586-018-00604-6](#). [PMID 29345655](#).',
    );
    expect(ref).toMatchObject({
      title: 'China enters the battle for AI talent',
      work: 'Nature',
      citationClass: 'journal',
    });
    expect(ref.date).toBe('2018-01-17');
    expect(ref.identifiers).toMatchObject({
      bibcode: ['2018Natur.553..260C'],
      doi: ['10.1038/d41586-018-00604-6'],
      pmid: ['29345655'],
    });
  });

  it('reads a DOI marked inactive and an ISSN', () => {
    const ref = firstReference(
      '9. ^ [Jump up to:](#)^a ^b 蔡自兴 (13 August 2016). "[中国人工智能40 年](#)". *科技导报* (in Chinese). **34** (15): 12–32. doi:10.3981/j.issn.1000-7857.2016.15.001 (inactive 1 November 2024). ISSN 1000-7857. [Archived](#) from the original on 2022-01-20. Retrieved 2022-02-07.',
    );
    expect(ref).toMatchObject({
      authors: ['蔡自兴'],
      date: '2016-08-13',
      title: '中国人工智能40 年',
      work: '科技导报',
      doiInactiveSince: '2024-11-01',
      archive: { present: true, date: '2022-01-20' },
      accessDate: '2022-02-07',
    });
    expect(ref.identifiers.doi).toEqual(['10.3981/j.issn.1000-7857.2016.15.001']);
    expect(ref.identifiers.issn).toEqual(['1000-7857']);
  });

  it('reads hdl, arXiv, S2CID, JSTOR and OCLC identifiers', () => {
    const ids = (line: string) => firstReference(line).identifiers;
    expect(
      ids(
        '1. [^] X (2023). "T". *W*. doi:[10.1016/J.CLSR.2023.105897](#). hdl:[10067/2001290151162165141](#).',
      ),
    ).toMatchObject({
      doi: ['10.1016/j.clsr.2023.105897'],
      hdl: ['10067/2001290151162165141'],
    });
    expect(
      ids('1. ^ [Zhang, Daniel \\(2021-03-08\\), The AI Index 2021 Annual Report, arXiv:2103.06312](#)')
        .arxiv,
    ).toEqual(['2103.06312']);
    expect(ids('1. ^ [A \\(2019\\). "T". W. doi:10.51593/20190031. S2CID 242961679.](#)').s2cid).toEqual([
      '242961679',
    ]);
    expect(ids('1. ^ A (2019). [T](#) (Report). [JSTOR resrep20446](#).').jstor).toEqual(['resrep20446']);
    expect(ids('1. ^ A (2017). *T*. [OCLC 1029611044](#).').oclc).toEqual(['1029611044']);
  });

  it('reads the quoted Chinese title before its translation', () => {
    const ref = firstReference(
      '7. ^ [Jump up to:](#)^a ^b Zhang, Daqiu; Lin, Yujie (2024-07-02). "[生成中国式AI：审查之外，科技公司的烦恼清单](#)" [Building a Chinese AI: Beyond censorship]. *Initium Media* (in Simplified Chinese).',
    );
    expect(ref.title).toBe('生成中国式AI：审查之外，科技公司的烦恼清单');
    expect(ref.work).toBe('Initium Media');
  });

  it('reads a book: italic title, publisher after it, a year as the date', () => {
    const ref = firstReference(
      '2. ^ [Jump up to:](#)^{a b c} He, Yujia (2017). *How China is preparing for an AI-powered Future* (PDF). [Woodrow Wilson International Center for Scholars](#). [Archived](#) (PDF) from the original on 2021-02-15. Retrieved 2020-04-30.',
    );
    expect(ref).toMatchObject({
      authors: ['He, Yujia'],
      date: '2017-01-01',
      title: 'How China is preparing for an AI-powered Future',
      publisher: 'Woodrow Wilson International Center for Scholars',
      archive: { present: true, date: '2021-02-15' },
      accessDate: '2020-04-30',
    });
  });

  it('reads a month-and-year date and a date standing alone after the work', () => {
    expect(
      firstReference('1. ^ [Acharya, Ashwin \\(December 2019\\). "Chinese Public AI". CSET.](#)').date,
    ).toBe('2019-12-01');
    expect(
      firstReference('1. ^a ["Beijing-funded AI"](#). *South China Morning Post*. 2021-06-02.').date,
    ).toBe('2021-06-02');
  });

  it('reads a chapter: the book as the work, its publisher', () => {
    const ref = firstReference(
      '78. [^] [Jump up to:^a ^b Šimalčík, Matej \\(2023\\). "Rule by Law". In Kironska, Kristina; Tursanyi, Richard Q. \\(eds.\\). Contemporary China: a New Superpower?. Routledge. pp. 114–127. doi:10.4324/9781003350064-12. ISBN 978-1-03-239508-1](#).',
    );
    expect(ref).toMatchObject({
      title: 'Rule by Law',
      work: 'Contemporary China: a New Superpower?',
      publisher: 'Routledge',
      citationClass: 'book',
    });
  });

  it('keeps a reference text that goes on after Retrieved on its own line', () => {
    const ref = firstReference(
      '80. [^] Chen, Stephen (2022-07-13). ["China\'s court AI". South China Morning Post](#). Retrieved 2024-05-25. [H]umans will lose free will", she said.',
    );
    expect(ref.text).toBe(
      'Chen, Stephen (2022-07-13). "China\'s court AI". South China Morning Post. Retrieved 2024-05-25. [H]umans will lose free will", she said.',
    );
  });

  it('continues a reference on the lines that follow it without a blank line', () => {
    const ref = firstReference('1. ^ Doe, Jane (2020). "Title".\n*Work*. Retrieved 2021-01-02.');
    expect(ref.text).toBe('Doe, Jane (2020). "Title". Work. Retrieved 2021-01-02.');
    expect(ref.accessDate).toBe('2021-01-02');
  });

  it('puts the advert after the last reference in trailing, one entry per block', () => {
    const a = withReference(
      '93. [^] ["China\'s AI-Tocracy"](#). *IEEE Spectrum*. Retrieved 2024-02-26.\n\n\n\n**WELCOME\nTO PRESALE1**\n\nStay Warm!\n\n\n\n连接愛与和平\nIntelligence',
    );
    expect(a.references).toHaveLength(1);
    expect(a.references[0]!.text).toBe('"China\'s AI-Tocracy". IEEE Spectrum. Retrieved 2024-02-26.');
    expect(a.trailing).toEqual([
      { text: 'WELCOME TO PRESALE1', line: 13 },
      { text: 'Stay Warm!', line: 16 },
      { text: '连接愛与和平 Intelligence', line: 20 },
    ]);
  });

  it('continues a reference across a page break only mid-sentence', () => {
    const a = withReference(
      '1. ^ Doe, Jane (2020). "Title". Work. Retrieved 2021-01-02 via the\n\n\n\narchive of the paper.',
    );
    expect(a.references[0]!.text).toBe(
      'Doe, Jane (2020). "Title". Work. Retrieved 2021-01-02 via the archive of the paper.',
    );
    expect(a.trailing).toEqual([]);
  });

  it('puts sections after the references in trailing', () => {
    const a = withReference('1. ^ "A". W.\n\nExternal links\n\n[-]\n\n- [Official site](#)');
    expect(a.sections.map((s) => s.title)).toEqual(['(lead)', 'References', 'External links']);
    expect(a.trailing).toEqual([{ text: '- Official site', line: 15 }]);
  });

  it('finds a reference list without a heading by its backlinks', () => {
    const a = extract('T\n\nClaim.^[1]\n\n1. ^ "A". *W*. Retrieved 2020-01-01.\n2. [^] "B". *W*.\n');
    expect(a.blocks.map((b) => b.text)).toEqual(['Claim.']);
    expect(a.references.map((r) => r.id)).toEqual(['1', '2']);
  });

  it('gives a repeated reference number a unique id', () => {
    const a = withReference('1. ^ "A". *W*.\n1. ^ "B". *W*.\n1. ^ "C". *W*.');
    expect(a.references.map((r) => [r.id, r.number])).toEqual([
      ['1', 1],
      ['1-2', 1],
      ['1-3', 1],
    ]);
  });

  it('keeps a maintenance tag written inside a reference on the reference', () => {
    const a = withReference('1. ^ "A". *W*.^[permanent dead link]');
    expect(a.tags).toEqual([
      { kind: 'dead-link', text: 'permanent dead link', block: -1, sentence: 0, referenceId: '1', line: 9 },
    ]);
    expect(a.references[0]!.deadLinkTag).toEqual({ fixAttempted: true });
  });

  it('keeps real link targets of a reference: source, archive, identifier; not wiki links', () => {
    const text = readFixture('markdown/urls.md');
    const a = extractMarkdown(text, sourceFor(text, 'tests/fixtures/markdown/urls.md'));
    const [first, second] = a.references;
    expect(first!.links).toEqual([
      { url: 'https://example.org/page', role: 'source', text: '"A page that kept its URL"' },
      {
        url: 'https://web.archive.org/web/20210306000000/https://example.org/page',
        role: 'archive',
        text: 'Archived',
      },
    ]);
    expect(first!.archive).toEqual({
      present: true,
      url: 'https://web.archive.org/web/20210306000000/https://example.org/page',
      date: '2021-03-06',
    });
    expect(first!).toMatchObject({
      title: 'A page that kept its URL',
      work: 'Example Times',
      accessDate: '2021-03-07',
    });
    expect(second!.links).toEqual([
      { url: 'https://doi.org/10.1234/ABC.5', role: 'identifier', text: 'doi:10.1234/ABC.5' },
    ]);
    expect(second!.identifiers.doi).toEqual(['10.1234/abc.5']);
    expect(second!.publisher).toBe('Example Press');
    expect(a.citations).toEqual([
      { referenceId: '1', block: 0, sentence: 0, line: 3 },
      { referenceId: '2', block: 0, sentence: 1, pages: '7', line: 3 },
    ]);
  });

  it('invents no link when every target is #', () => {
    const a = withReference('1. ^ "[A](#)". *W*. [Archived](#) from the original on 2020-01-01.');
    expect(a.references[0]!.links).toEqual([]);
    expect(a.references[0]!.archive).toEqual({ present: true, date: '2020-01-01' });
  });
});

describe('extractMarkdown: errors and robustness', () => {
  it.each([[''], ['\n\n  \n\t\n']])('throws InputError on a text without a title: %j', (text) => {
    expect(() => extract(text)).toThrow(InputError);
    try {
      extract(text);
    } catch (e) {
      expect((e as InputError).code).toBe(ERROR_CODES.input);
    }
  });

  /** Extracts, and checks the article against the schema and its own indexes. */
  const check = (text: string): void => {
    let article: Article;
    try {
      article = extract(text);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return;
    }
    expect(ArticleSchema.safeParse(article).success).toBe(true);
    for (const c of article.citations) {
      expect(article.blocks[c.block]?.sentences[c.sentence]).toBeTypeOf('string');
    }
    for (const t of article.tags) {
      if (t.block >= 0) expect(article.blocks[t.block]?.sentences[t.sentence]).toBeTypeOf('string');
    }
  };

  it('never throws anything but InputError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), check), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 200 });
  });

  const TOKENS = [
    '\n',
    '\n\n\n\n',
    ' \n',
    '\t',
    ' ',
    '[-]',
    '[.]',
    'References',
    'See also',
    'History',
    'Further information: [x](#)',
    '^[12]',
    '^{[5][6]}',
    '^{[36]: 167}',
    '^{[25]: 283 [28]: 101}',
    '^{[4]:12-14}',
    '^[citation needed]',
    '^[who?]',
    '^{[76][original research?]}',
    '^[',
    '^{',
    '^',
    '[2017]',
    '[Jump up to:](#)',
    '^{a b}',
    '^a ',
    '[^] ',
    '^{Jump up to:}',
    '[Jump up to:^a ^b ',
    '](#)',
    '](https://example.org/x)',
    '[',
    ']',
    '(',
    ')',
    '\\(',
    '\\)',
    '\\[',
    '\\]',
    '\\$',
    '\\\\$',
    '\\',
    '**',
    '*',
    '- ',
    '93. ',
    '1. ',
    '0. ',
    '# ',
    '"',
    '“',
    'Retrieved 2024-09-27.',
    'Archived from the original on 2024-02-26.',
    'doi:10.3981/j.issn (inactive 1 November 2024).',
    'ISBN 978-1-003-21298-0',
    'Chang, Huey-Meei; Hannas, William C. (2022-06-22), ',
    '"Title". ',
    '*Work*. ',
    'London: Routledge, ',
    'In Kironska, K. (eds.). ',
    '连接愛与和平',
    'the ',
    'text.',
    'Word',
  ];

  it('never throws anything but InputError on mixes of the seed tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (parts) => check(parts.join(''))),
      { numRuns: 500 },
    );
  });

  it('never throws anything but InputError on spliced pieces of the seed', () => {
    const seed = readSeed();
    const piece = fc
      .tuple(fc.nat({ max: seed.length }), fc.nat({ max: 3000 }))
      .map(([at, length]) => seed.slice(at, at + length));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => check(pieces.join(''))),
      { numRuns: 200 },
    );
  });
});
