/**
 * Parsoid keeps each template's parameters as wikitext in the `data-mw` JSON of the first
 * element it rendered (`parts[].template.params`). For a citation template these are the
 * exact values an editor typed — url, archive-url, archive-date, url-status, access-date,
 * identifiers — better than anything read back from the rendered text. Pure.
 */
import { squash } from '../core/text.js';
import type { Element } from './html-dom.js';
import { dataMw, tokensOf } from './html-dom.js';

/** One template transclusion: its name (lower-cased, `Template:` removed) and plain-text params. */
export interface TemplateCall {
  name: string;
  /** Parameter values with wiki markup removed; keys lower-cased and trimmed. */
  params: Map<string, string>;
}

interface RawPart {
  template?: {
    target?: { wt?: unknown; href?: unknown };
    params?: Record<string, { wt?: unknown; html?: unknown }>;
  };
}

/** Wiki markup to plain text, enough for parameter values: links, quotes, comments, tags. */
export function plainWikitext(wt: string): string {
  let s = wt.replace(/<!--[\s\S]*?-->/g, '');
  // Innermost templates first, a few rounds: {{lang|fr|Titre}} keeps its last parameter.
  for (let i = 0; i < 4 && s.includes('{{'); i++) {
    s = s.replace(/\{\{([^{}]*)\}\}/g, (_m, inner: string) => {
      const parts = inner.split('|');
      return parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
    });
  }
  s = s
    .replace(/\[\[(?:[^|\]]*\|)?([^\]]*)\]\]/g, '$1')
    .replace(/\[(?:https?:)?\/\/\S+\s+([^\]]+)\]/g, '$1')
    .replace(/'{2,}/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&amp;/g, '&');
  return squash(s);
}

const htmlToText = (html: string): string =>
  squash(
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;|&#160;/g, ' ')
      .replace(/&amp;/g, '&'),
  );

function templateName(target: { wt?: unknown; href?: unknown } | undefined): string {
  const href = typeof target?.href === 'string' ? target.href : '';
  const fromHref = href.replace(/^\.\//, '').replace(/^Template:/i, '');
  const raw = fromHref || (typeof target?.wt === 'string' ? target.wt : '');
  let name = raw.replace(/_/g, ' ').trim().toLowerCase();
  try {
    name = decodeURIComponent(name);
  } catch {
    // a stray `%` in a template name: keep it as written
  }
  return name.replace(/^template:/, '');
}

/** Template calls recorded on one element (a Parsoid transclusion's first node). */
export function templateCalls(el: Element): TemplateCall[] {
  if (!tokensOf(el.attribs.typeof).includes('mw:Transclusion')) return [];
  const mw = dataMw(el) as { parts?: unknown } | undefined;
  if (!mw || !Array.isArray(mw.parts)) return [];
  const calls: TemplateCall[] = [];
  for (const part of mw.parts as unknown[]) {
    if (typeof part !== 'object' || part === null) continue;
    const t = (part as RawPart).template;
    if (!t) continue;
    const params = new Map<string, string>();
    for (const [key, value] of Object.entries(t.params ?? {})) {
      if (typeof value !== 'object' || value === null) continue;
      const text =
        typeof value.wt === 'string'
          ? plainWikitext(value.wt)
          : typeof value.html === 'string'
            ? htmlToText(value.html)
            : '';
      if (text) params.set(key.trim().toLowerCase(), text);
    }
    calls.push({ name: templateName(t.target), params });
  }
  return calls;
}

/** Citation templates whose parameters describe a source (`cite *`, `citation`, `vcite *`). */
export const isCitationTemplate = (name: string): boolean =>
  /^(?:cite|vcite|vancite)\s/.test(name) || name === 'citation' || name === 'cite';
