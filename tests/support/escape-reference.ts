/**
 * `codeSpan` as it was before its fast path for text without backticks or line breaks (session
 * 6): the differential test in report-escape.test.ts holds the fast path to it.
 */
export function codeSpanReference(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
