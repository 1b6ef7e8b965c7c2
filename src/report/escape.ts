/**
 * Escaping for Markdown that came from strangers (article text, page titles, URLs): nothing
 * they wrote may become markup, a link, a mention or raw HTML in the report.
 */

/** Characters that become an entity or get a backslash. */
const MARKUP = /[&<>\\`*_[\]|~#!{}@]/g;
const ESCAPED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Line breaks and tabs (a run becomes one space), and the other control characters (dropped). */
const CONTROL = /[\r\n\t]+|[\u0000-\u001f\u007f]/g;
/**
 * Whether `escapeMarkdown` would change anything: most strings of a report (messages, labels,
 * reasons) need nothing, and are returned as they are instead of being copied seven times.
 */
const NEEDS_ESCAPE =
  /[\u0000-\u001f\u007f&<>\\`*_[\]|~#!{}@]|^\s*(?:\d+[.)]|[-+=])|(?:https?|ftp|www)(?::\/\/|\.)/i;

/** Escapes text for an inline Markdown context; newlines become spaces. */
export function escapeMarkdown(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  const flat = text.replace(CONTROL, (run) => (run.length > 1 || '\r\n\t'.includes(run) ? ' ' : ''));
  return flat
    .replace(MARKUP, (c) => ESCAPED[c] ?? `\\${c}`)
    .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/(https?|ftp|www)(:\/\/|\.)/gi, '$1\u200b$2');
}

/** Escapes text for a table cell (pipes matter there too; `escapeMarkdown` covers them). */
export const escapeCell = (text: string): string => escapeMarkdown(text);

/**
 * Markdown that is already safe (a `linkUrl`, a `codeSpan`), made safe for a table cell: GFM
 * splits cells at every unescaped `|`, inside code spans and autolinks too, and turns `\|` back
 * into `|` before it reads the spans.
 */
export const inCell = (markdown: string): string => markdown.replace(/\|/g, '\\|');

/** Text in a code span, with a fence longer than any backtick run inside. */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A URL as a clickable autolink when it is a plain http(s) URL with nothing that could break
 * out of `<…>`; anything else is shown, not linked, in a code span.
 */
export function linkUrl(url: string): string {
  if (/^https?:\/\/[^\s<>"'`\\\u0000-\u001f]+$/i.test(url) && url.length <= 2000) return `<${url}>`;
  return codeSpan(url);
}

/** Shortens a quotation to `max` characters on a word boundary. */
export function truncate(text: string, max = 280): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
