/**
 * Escaping for Markdown that came from strangers (article text, page titles, URLs): nothing
 * they wrote may become markup, a link, a mention or raw HTML in the report.
 */

/** Characters that get a backslash. */
const BACKSLASHED = /[\\`*_[\]|~#!{}@]/g;
/** Characters that become an entity. */
const ENTITY = /[&<>]/;
/** Line breaks and tabs (a run becomes one space), and the other control characters (dropped). */
const CONTROL = /[\r\n\t]+|[\u0000-\u001f\u007f]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * Whether `escapeMarkdown` would change anything: most strings of a report (messages, labels,
 * reasons) need nothing, and are returned as they are instead of being copied seven times.
 */
const NEEDS_ESCAPE =
  /[\u0000-\u001f\u007f&<>\\`*_[\]|~#!{}@]|^\s*(?:\d+[.)]|[-+=])|(?:https?|ftp|www)(?::\/\/|\.)/i;

/**
 * Escapes text for an inline Markdown context; newlines become spaces. The passes that find
 * nothing to do are skipped, and none calls back per character: a 2000-reference report
 * escapes about 8000 strings, most of them with a bracket or two.
 */
export function escapeMarkdown(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let flat = HAS_CONTROL.test(text)
    ? text.replace(CONTROL, (run) => (run.length > 1 || '\r\n\t'.includes(run) ? ' ' : ''))
    : text;
  flat = flat.replace(BACKSLASHED, '\\$&');
  if (ENTITY.test(flat)) flat = flat.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return flat
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
  // Most spans (a finding's suggestion, repeated on each of 2000 findings) hold no backtick and
  // no line break: one backtick fence, no padding, and none of the passes below.
  if (!/[`\r\n]/.test(text)) return `\`${text}\``;
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
