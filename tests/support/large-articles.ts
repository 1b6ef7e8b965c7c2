/**
 * Articles far larger than real ones, in each input format, for the scale tests and
 * `bench/audit-scale-bench.ts` (issue 11): one paragraph holding tens of thousands of citations,
 * and tens of thousands of references from one newspaper.
 */
import type { InputFormat } from '../../src/model.js';

/** How many distinct references the one-paragraph articles cite, round-robin. */
export const PARAGRAPH_REFERENCES = 500;

/** The sentence that marker `i` follows: every sentence carries exactly one marker. */
export const claim = (i: number): string => `Claim number ${i} is supported.`;

/**
 * One body paragraph of `citations` sentences, each followed by one citation marker, citing
 * {@link PARAGRAPH_REFERENCES} references in turn; then the reference list.
 */
export function paragraphArticle(format: InputFormat, citations: number): string {
  const refs = Math.min(PARAGRAPH_REFERENCES, citations);
  const body: string[] = [];
  switch (format) {
    case 'wikitext': {
      for (let i = 0; i < citations; i++) {
        const k = i % refs;
        body.push(
          i < refs
            ? `${claim(i)}<ref name="r${k}">{{cite web |url=https://site${k}.example.org/page |title=Source number ${k} |work=The Daily Planet}}</ref>`
            : `${claim(i)}<ref name="r${k}" />`,
        );
      }
      return `Lead sentence of the article.\n\n== Body ==\n${body.join(' ')}\n\n== References ==\n{{reflist}}\n`;
    }
    case 'html': {
      for (let i = 0; i < citations; i++) {
        const k = i % refs;
        body.push(
          `${claim(i)}<sup id="cite_ref-r${k}_${k}-${Math.floor(i / refs)}" class="reference"><a href="#cite_note-r${k}-${k}">[${k + 1}]</a></sup>`,
        );
      }
      const list = Array.from(
        { length: refs },
        (_, k) =>
          `<li id="cite_note-r${k}-${k}"><span class="mw-cite-backlink">^</span> <span class="reference-text"><cite class="citation web cs1"><a rel="nofollow" class="external text" href="https://site${k}.example.org/page">"Source number ${k}"</a>. <i>The Daily Planet</i>.</cite></span></li>`,
      );
      return `<!DOCTYPE html><html><head><title>Large - Wikipedia</title></head><body><h1 id="firstHeading">Large</h1><div id="mw-content-text"><div class="mw-parser-output"><p>${body.join(' ')}</p><h2><span class="mw-headline" id="References">References</span></h2><div class="mw-references-wrap"><ol class="references">${list.join('\n')}</ol></div></div></div></body></html>`;
    }
    case 'markdown': {
      for (let i = 0; i < citations; i++) body.push(`${claim(i)}^[${(i % refs) + 1}]`);
      const list = Array.from(
        { length: refs },
        (_, k) => `${k + 1}. ^ "Source number ${k}". The Daily Planet. 2020-01-01. Retrieved 2021-01-01.`,
      );
      return `# Large\n\n## Body\n\n${body.join(' ')}\n\n## References\n\n${list.join('\n')}\n`;
    }
  }
}

/**
 * `references` wikitext references from one newspaper, each cited once in its own paragraph:
 * distinct titles, dates and URLs, so none is a duplicate of another.
 */
export function sameVenueArticle(references: number): string {
  const parts: string[] = [];
  for (let i = 0; i < references; i++) {
    const date = `20${10 + (i % 10)}-0${1 + (i % 9)}-1${i % 10}`;
    parts.push(
      `Council news item ${i}.<ref>{{cite news |url=https://planet.example/news/${i} |title=Council approves budget for district ${i} |work=The Daily Planet |date=${date}}}</ref>\n\n`,
    );
  }
  return `Lead sentence of the article.\n\n== Body ==\n${parts.join('')}== References ==\n{{reflist}}\n`;
}
