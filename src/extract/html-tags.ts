/**
 * Inline maintenance tags as Wikipedia renders them (`[citation needed]`, `[who?]`,
 * `[dead link]`, …): the kind from the visible text, the date from the tooltip
 * ("… (April 2020)", "Dead link tagged May 2020") or, in Parsoid HTML, from the template's
 * `date` parameter. Pure.
 */
import { parseDate } from '../core/dates.js';
import { squash } from '../core/text.js';
import type { TagKind } from '../model.js';
import type { Element } from './html-dom.js';
import { dataMw, descendants, textOf } from './html-dom.js';

/** A maintenance tag read from its rendering. */
export interface RenderedTag {
  kind: TagKind;
  /** The tag as displayed, brackets removed, e.g. `citation needed`. */
  text: string;
  date?: string;
  /** `[permanent dead link]`: a bot already tried to repair the link. */
  fixAttempted: boolean;
}

/** Rendered texts (lower-cased, brackets removed) by kind; first match wins. */
const KINDS: Array<[RegExp, TagKind]> = [
  [/^(?:citation|reference|source)s? needed\b/, 'citation-needed'],
  [/^(?:permanent )?dead link\b/, 'dead-link'],
  [/^according to whom\b/, 'according-to-whom'],
  [/^by whom\b/, 'by-whom'],
  [/^who\b/, 'who'],
  [/^when\b/, 'when'],
  [/^which\b/, 'which'],
  [/^dubious\b|^disputed\b/, 'dubious'],
  [/^original research\b|^synthesis\b/, 'original-research'],
  [
    /^better source needed\b|^(?:third-party|non-primary|primary|secondary) source needed\b|^better source\b|^medical citation needed\b/,
    'better-source-needed',
  ],
  [
    /^failed verification\b|^not in (?:citation|source|reference)\b|^verification failed\b/,
    'failed-verification',
  ],
  [/^clarification needed\b|^clarify\b|^vague\b|^definition needed\b/, 'clarification-needed'],
  [/^unreliable (?:source|medical source)\b|^self-published source\b|^unreliable\b/, 'unreliable-source'],
  [/^pages? needed\b|^page number\b/, 'page-needed'],
];

/** The tag kind for a rendered tag text; `other` for any other inline template. */
export function tagKindOf(text: string): TagKind {
  const t = text.toLowerCase();
  for (const [re, kind] of KINDS) if (re.test(t)) return kind;
  return 'other';
}

/** The date in a tag's tooltip: "(April 2020)" at the end, or "… tagged May 2020". */
export function tooltipDate(title: string): string | undefined {
  const paren = title.match(/\(([^()]*\d{4})\)\s*$/);
  if (paren) return parseDate(paren[1]);
  const tagged = title.match(/tagged\s+(.+?\d{4})\s*$/i);
  if (tagged) return parseDate(tagged[1]);
  return undefined;
}

/** Parsoid: the `date` parameter of the first template in the element's `data-mw`. */
function templateDate(el: Element): string | undefined {
  const mw = dataMw(el) as { parts?: unknown[] } | undefined;
  for (const part of mw?.parts ?? []) {
    if (typeof part !== 'object' || part === null) continue;
    const params = (part as { template?: { params?: Record<string, { wt?: unknown }> } }).template?.params;
    const wt = params?.date?.wt;
    if (typeof wt === 'string') return parseDate(wt.trim());
  }
  return undefined;
}

/** Reads one tag rendering (`sup.Inline-Template` or `sup.Template-Fact`). */
export function readTag(el: Element): RenderedTag | undefined {
  const text = squash(
    textOf(el)
      .replace(/[[\]\u200d]/g, ' ')
      .replace(/\s*[–—-]\s*discuss\s*$/i, ''),
  );
  if (!text) return undefined;
  let date = templateDate(el);
  if (!date) {
    for (const d of descendants(el)) {
      const title = d.attribs.title;
      if (d.name === 'span' && title) {
        date = tooltipDate(title);
        if (date) break;
      }
    }
  }
  const tag: RenderedTag = { kind: tagKindOf(text), text, fixAttempted: /^permanent\b/i.test(text) };
  if (date) tag.date = date;
  return tag;
}
