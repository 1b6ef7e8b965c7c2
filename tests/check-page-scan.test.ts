/**
 * The page reader without a tree (issue 14): `readHtmlSignals` scans a page once instead of
 * parsing it with cheerio and walking the tree. Differential: the old reader, kept in
 * `tests/support/cheerio-page-reader.ts`, reads every page here too, and the signals must be
 * equal — on the fixtures, the real pages of the corpus, the bench workload's pages, the pages
 * of the classification tests and generated hostile markup. The one deliberate difference
 * (text collected for at most 32 nested elements at once) is asserted on its own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, readHtmlSignals, readPage } from '../src/check/page.js';
import { readSignalsWithCheerio } from './support/cheerio-page-reader.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const CORPUS_HTML = '/work/shared/corpus/html';

/** Asserts that both readers see the same signals in `html`. */
function expectSameSignals(html: string): void {
  expect(readHtmlSignals(html)).toEqual(readSignalsWithCheerio(html));
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
    expect(readPage(body, 'text/html')).toEqual(readSignalsWithCheerio(html));
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
        expect(readHtmlSignals(html)).toEqual(readSignalsWithCheerio(html));
      }),
      { numRuns: 4000, seed: 14 },
    );
  });

  it('5,000 nested elements, closed and unclosed', () => {
    expectSameSignals(`${'<div class="d">'.repeat(5000)}deep text${'</div>'.repeat(5000)}<p>after</p>`);
    expectSameSignals(`<title>t</title>${'<span><b>'.repeat(2500)}never closed`);
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

  it('deliberate difference: text is collected for at most 32 nested elements at once', () => {
    // The old walk read the text of every nested <h1> again (quadratic at 100,000 deep);
    // the scanner reads the outer 32 and leaves out the headings nested deeper.
    const html = `${'<h1>x'.repeat(40)}${'</h1>'.repeat(40)}`;
    const before = readSignalsWithCheerio(html);
    const after = readHtmlSignals(html);
    expect(before.headings).toHaveLength(40);
    expect(after.headings).toEqual(before.headings.slice(0, 32));
    expect({ ...after, headings: [] }).toEqual({ ...before, headings: [] });
    const deep = readHtmlSignals('<h1>x'.repeat(100_000));
    expect(deep.headings).toHaveLength(32);
  });
});
