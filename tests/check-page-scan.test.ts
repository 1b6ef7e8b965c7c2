/**
 * The page reader without a tree (issue 14): `readHtmlSignals` scans a page once instead of
 * parsing it with cheerio and walking the tree. Differential: the old reader, kept in
 * `tests/support/cheerio-page-reader.ts`, reads every page here too, and the signals must be
 * equal — on the fixtures, the real pages of the corpus, the bench workload's pages, the pages
 * of the classification tests and generated hostile markup. Deliberate differences, each
 * asserted on its own: `text` and `mainText` keep their first `MAX_PAGE_TEXT` characters (the
 * old reader's texts are cut there before comparing), and text is collected for at most 16
 * nested elements at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessChallenge,
  assessParked,
  assessSoft404,
  detectRestriction,
  matchesNotFoundPage,
} from '../src/check/index.js';
import { decodeText, MAX_PAGE_TEXT, type PageSignals, readHtmlSignals, readPage } from '../src/check/page.js';
import { readSignalsWithCheerio } from './support/cheerio-page-reader.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const CORPUS_HTML = '/work/shared/corpus/html';

/** The old reader's signals, texts cut where the new reader stops collecting them. */
function readBefore(html: string): PageSignals {
  const before = readSignalsWithCheerio(html);
  return {
    ...before,
    text: before.text.slice(0, MAX_PAGE_TEXT),
    mainText: before.mainText.slice(0, MAX_PAGE_TEXT),
  };
}

/** Asserts that both readers see the same signals in `html`. */
function expectSameSignals(html: string): void {
  expect(readHtmlSignals(html)).toEqual(readBefore(html));
}

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => `${dir}/${f}`);
}

describe('readHtmlSignals reads what the cheerio tree walk read', () => {
  const files = [
    ...htmlFiles(new URL('pages', FIXTURES).pathname),
    ...htmlFiles(new URL('html', FIXTURES).pathname),
    // The shared corpus is present on the project's machines, not in the repository.
    ...htmlFiles(CORPUS_HTML),
  ];
  it.each(files.map((f) => [f.split('/').slice(-2).join('/'), f]))('fixture %s', (_name, path) => {
    const body = readFileSync(path);
    const html = decodeText(body, undefined);
    expectSameSignals(html);
    expect(readPage(body, 'text/html')).toEqual(readBefore(html));
  });

  it('the bench workload pages (a title, one paragraph of filler, 1 to 64 KiB)', () => {
    // The markup of `bench/workload.ts`'s simulated sites.
    const workloadPage = (title: string, bytes: number): string => {
      const head = `<!doctype html><html><head><title>${title}</title></head><body><p>`;
      const tail = '</p></body></html>';
      return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
    };
    for (const [title, bytes] of [
      ['A live page', 8192],
      ['A live page', 65536],
      ['Page not found', 30000],
      ['Not Found', 1024],
      ['Gone', 1024],
    ] as const) {
      expectSameSignals(workloadPage(title, bytes));
    }
  });

  it("the classification tests' pages (soft 404, parked, challenge, paywall, login)", () => {
    const page = (title: string, text: string, extraHead = '', extraBody = ''): string =>
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${extraHead}</head><body>${extraBody}<h1>${title}</h1><p>${text}</p></body></html>`;
    const pages = [
      page('Story about things', 'A perfectly ordinary news story with real content. '.repeat(40)),
      page(
        'Just a moment...',
        'Checking your browser before accessing the site.',
        '',
        '<div id="cf-wrapper"></div>',
      ),
      page(
        'Attention required',
        'Please verify you are a human.',
        '<script src="https://www.google.com/recaptcha/api.js"></script>',
        '<form><div class="g-recaptcha"></div></form>',
      ),
      page('example.com is for sale', 'Buy this domain.', '', '<a href="https://sedo.com/">Sedo</a>'),
      page(
        'Markets rally',
        'Subscribe to continue reading.',
        '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>',
      ),
      page('Sign in', 'Use your account.', '', '<form><input type="password" name="pw"></form>'),
      page('Log in', 'Log in to continue reading.', '', '<form><input type="Password"></form>'),
      page('Page not found', 'Sorry, the page you were looking for could not be found.'),
      page('找不到页面', '您访问的页面不存在。'),
      page(
        'Denied',
        'No.',
        '<style>.x{color:red}</style>',
        '<script>var notFound = "page not found";</script>',
      ),
      '<html><head><title>Paywalled</title></head><body><div itemprop="isAccessibleForFree" content="False"></div>' +
        '<span itemprop="isAccessibleForFree"> false </span><nav role="navigation">Home</nav><footer>©</footer></body></html>',
      '<html><body><h2>First</h2><h2></h2><h2>Second</h2><h2><script>x</script></h2><h2>Third</h2><h2>Fourth</h2></body></html>',
      '<html><head><title>A</title><title>B</title></head><body><iframe src="HTTPS://Parking.Example/"></iframe></body></html>',
    ];
    for (const html of pages) expectSameSignals(html);
  });

  // htmlparser2's corners, each once by name; the generated markup below finds the rest.
  it.each([
    ['implied ends', '<p>one<div>two</div><li>a<li>b<table><tr><td>x<td>y</table><body>z'],
    ['body closes an unclosed head', '<head><title>T</title><body><p>shown</p>'],
    ['head left open by another element', '<head><div>hidden<body>still hidden'],
    ['end tags closing nothing', 'a</span>b</div>c</p>d</br>e</img>f'],
    [
      'text around comments and declarations',
      'a<!-- c -->b<!doctype x>c<?pi?>d<![CDATA[e]]>f</ x>g</#bogus>h',
    ],
    ['empty-ish tags as text', 'a</>b< c<1d</ >e'],
    ['raw text', '<script>if (a<b) "</scripty>" </script ><style>p{}</STYLE>x<textarea>&amp;<b></textarea>'],
    [
      'raw-text names htmlparser2 also takes',
      '<xitle>a</title>b</xitle><tmp>c</xmp>d</tmp><TiTlE>&lt;t&gt;</tItLe>',
    ],
    ['title entities after a partial end', '<title>a </&amp; </t&amp; &amp;</title>'],
    ['self-closing tags', '<div/>inside<svg><path/><title/>x</svg><br/>after<p/>in p'],
    ['attributes', '<a href=x/y class = "A B" id=\'I\' href=second =odd "q"=1 title=a&amp;b>L</a>'],
    ['entities', '&amp &amp; &notit; &not &#65 &#x41; &#0; &bogus; &lt&gt'],
    ['attribute entities', '<a href="?a=1&copy=2&amp;b=&notin;">x</a><a href=&lt;>y</a>'],
    ['cut at the end: tag name', 'text<scr'],
    ['cut at the end: title name', 'text<titl'],
    ['cut at the end: other name', 'text<dix'],
    ['cut at the end: attribute', 'text<a href="x'],
    ['cut at the end: after a slash', 'text<a /'],
    ['cut at the end: end tag', 'text<p>x</p '],
    ['cut at the end: end tag name', 'text</p'],
    ['cut at the end: declaration', 'text<!doctype html'],
    ['cut at the end: comment', 'text<!-- never closed'],
    ['cut at the end: CDATA start', 'text<![CDA'],
    ['cut at the end: bogus comment', 'text</#x'],
    ['cut at the end: raw text', '<script>var a = "</scr'],
    ['cut at the end: a lone <', 'text <'],
    ['NUL bytes', '<p\0>a\0b</p><a href="\0x">\0</a>'],
    ['< inside attributes', '<a href="<b>" title=<i>>x</a><div class="a>b">y</div>'],
    [
      'furniture roles',
      '<div role="banner">B</div><div role="Navigation">N</div><aside>A</aside><main>M</main>',
    ],
  ])('%s', (_name, html) => {
    expectSameSignals(html);
  });

  it('generated markup: tags, attributes, entities, comments, raw text and cuts, mixed', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '<title>',
        '</title>',
        '<h1>',
        '</h1>',
        '<h2>',
        '</h2>',
        '<script>',
        '<script type="application/ld+json">',
        '</script>',
        '<style>',
        '</style>',
        '<p>',
        '</p>',
        '<div id="A" class="B">',
        '</div>',
        '<svg>',
        '</svg>',
        '<math>',
        '<head>',
        '</head>',
        '<body>',
        '<nav>',
        '</nav>',
        '<footer role="contentinfo">',
        '<a href="HTTP://X/">',
        '</a>',
        '<iframe src="Y">',
        '<input type="password">',
        '<meta itemprop="isAccessibleForFree" content="false">',
        '<span itemprop="isAccessibleForFree">',
        '</span>',
        '"isAccessibleForFree": false',
        '<br/>',
        '</br>',
        '<li>',
        '<textarea>',
        '</textarea>',
        '<xmp>',
        '</xmp>',
        '<tmp>',
        '<!--',
        '-->',
        '<!doctype html>',
        '<![CDATA[',
        ']]>',
        '<?x?>',
        '&amp;',
        '&lt',
        '&#x41',
        '&not',
        'Not found',
        '404',
      ),
      fc.constantFrom(...'<>/!-?&;#="\' \n\t\u000c\r\0\u001c\u000fxaT[]'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const html = pieces.join('');
        expect(readHtmlSignals(html)).toEqual(readBefore(html));
      }),
      { numRuns: 4000, seed: 14 },
    );
  });

  it('5,000 nested elements, closed and unclosed', () => {
    expectSameSignals(`${'<div class="d">'.repeat(5000)}deep text${'</div>'.repeat(5000)}<p>after</p>`);
    expectSameSignals(`<title>t</title>${'<span><b>'.repeat(2500)}never closed`);
  });
});

describe('texts cut at MAX_PAGE_TEXT characters (deliberate)', () => {
  const words = (n: number, word = 'word'): string =>
    `${word} `.repeat(Math.ceil(n / (word.length + 1))).slice(0, n);

  it('keeps the first MAX_PAGE_TEXT characters of the squashed text, whitespace runs included', () => {
    const html = `<nav>${words(500, 'menu')}</nav><p>${'a \n\t '.repeat(20_000)}</p><p>${words(30_000)}</p>`;
    const before = readSignalsWithCheerio(html);
    const after = readHtmlSignals(html);
    expect(before.text.length).toBeGreaterThan(MAX_PAGE_TEXT);
    expect(after.text).toBe(before.text.slice(0, MAX_PAGE_TEXT));
    expect(after.mainText).toBe(before.mainText.slice(0, MAX_PAGE_TEXT));
    expect(after.text).toHaveLength(MAX_PAGE_TEXT);
  });

  it('a page of nothing but whitespace is read to the end (still linear)', () => {
    const html = `<p>${' \n'.repeat(200_000)}x</p>`;
    expect(readHtmlSignals(html).text).toBe('x');
  });

  it('the rules decide as they did on the whole text, around every length they compare', () => {
    const pages: string[] = [];
    for (const length of [
      700, 800, 1000, 1500, 2000, 3000, 4000, 4001, 5000, 5001, 6000, 7999, 8000, 8001, 20_000,
    ]) {
      for (const [title, opening] of [
        ['Page not found', 'Sorry, the page you were looking for could not be found.'],
        ['example.com is for sale', 'This domain is for sale. Make an offer.'],
        ['Just a moment...', 'Checking your browser before accessing the site.'],
        ['Markets rally', 'Subscribe to continue reading.'],
        ['Story', 'An ordinary story.'],
      ]) {
        const body = `${opening} ${words(length)}`;
        pages.push(
          `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`,
        );
        pages.push(
          `<html><body><nav>${words(length, 'menu')}</nav><p>${body}</p><footer>${opening}</footer></body></html>`,
        );
      }
    }
    const url = 'https://news.example.com/2019/05/story';
    for (const html of pages) {
      const before = readSignalsWithCheerio(html);
      const after = readHtmlSignals(html);
      expect(assessSoft404(after, url)).toEqual(assessSoft404(before, url));
      expect(assessParked(after, url, url)).toEqual(assessParked(before, url, url));
      expect(assessChallenge(after)).toEqual(assessChallenge(before));
      expect(detectRestriction(after, url, url)).toEqual(detectRestriction(before, url, url));
      // The soft-404 comparison, against the host's not-found page read the same way.
      const answered = (page: PageSignals, at = url) => ({ url: at, finalUrl: at, status: 200, page });
      const probeHtml = pages[0]!;
      const probeUrl = `${url}-zq7x`;
      expect(matchesNotFoundPage(answered(after), answered(readHtmlSignals(probeHtml), probeUrl))).toBe(
        matchesNotFoundPage(answered(before), answered(readSignalsWithCheerio(probeHtml), probeUrl)),
      );
    }
  });
});

describe('readHtmlSignals on hostile pages', () => {
  it('100,000 nested elements: no stack overflow, the text is read', () => {
    const html = `${'<div>'.repeat(100_000)}deep${'</span>'.repeat(100_000)}${'</div>'.repeat(100_000)}after`;
    const signals = readHtmlSignals(html);
    expect(signals.text).toBe('deep after');
  });

  it('a 512 KiB page of tags, attributes and entities', () => {
    const unit =
      '<div class="c" id="i"><a href="/x?a=1&amp;b=2">link &amp; text</a><script>var x = 1;</script></div>';
    const html = `<title>Big</title>${unit.repeat(Math.ceil((512 * 1024) / unit.length))}`;
    const signals = readHtmlSignals(html);
    expect(signals.title).toBe('Big');
    expect(signals.links.length).toBe(Math.ceil((512 * 1024) / unit.length));
    expect(signals.text.startsWith('Big link & text link & text')).toBe(true);
  });

  it('a 1 MiB attribute value, and an unclosed quote running to the end', () => {
    const huge = 'v'.repeat(1 << 20);
    expect(readHtmlSignals(`<a href="${huge}">x</a>`).links).toEqual([huge]);
    expect(readHtmlSignals(`<p>before</p><a href="${huge}`).text).toBe('before');
  });

  it('deliberate difference: text is collected for at most 16 nested elements at once', () => {
    // The old walk read the text of every nested <h1> again (quadratic at 100,000 deep);
    // the scanner reads the outer 16 and leaves out the headings nested deeper.
    const html = `${'<h1>x'.repeat(40)}${'</h1>'.repeat(40)}`;
    const before = readSignalsWithCheerio(html);
    const after = readHtmlSignals(html);
    expect(before.headings).toHaveLength(40);
    expect(after.headings).toEqual(before.headings.slice(0, 16));
    expect({ ...after, headings: [] }).toEqual({ ...readBefore(html), headings: [] });
    const deep = readHtmlSignals('<h1>x'.repeat(100_000));
    expect(deep.headings).toHaveLength(16);
  });
});

describe('decodeText', () => {
  const reference = (body: Buffer, charset: string): string => {
    try {
      return new TextDecoder(charset).decode(body);
    } catch {
      return new TextDecoder('utf-8').decode(body);
    }
  };

  it.each([
    ['ASCII, UTF-8 declared', Buffer.from('<p>plain ascii</p>'), 'utf-8'],
    ['ASCII, Latin-1 declared (read as windows-1252)', Buffer.from('<p>plain</p>'), 'iso-8859-1'],
    ['UTF-8 with a byte order mark', Buffer.from('\ufeff<p>bom</p>'), 'utf-8'],
    ['UTF-8, not ASCII', Buffer.from('<p>café 找不到</p>'), 'utf-8'],
    ['windows-1252 bytes', Buffer.from([0x3c, 0x70, 0x3e, 0x93, 0xe9, 0x94]), 'windows-1252'],
    // ISO-2022-JP is written in ASCII bytes: the shortcut for ASCII bodies must not take it.
    [
      'ISO-2022-JP (ASCII bytes, not ASCII text)',
      Buffer.from('\u001b$B$3$s$K$A$O\u001b(B', 'latin1'),
      'iso-2022-jp',
    ],
    ['an unknown charset (UTF-8)', Buffer.from('<p>café</p>'), 'x-made-up'],
    ['NUL bytes', Buffer.from('<p>\0a\0</p>'), 'utf-8'],
  ])('%s: as TextDecoder reads it', (_name, body, charset) => {
    expect(decodeText(body, `text/html; charset=${charset}`)).toBe(reference(body, charset));
  });
});
