/**
 * Phrase lists as one pattern: the page rules ask only whether any phrase of a list occurs, and
 * one alternation scans the text once where `list.some((re) => re.test(s))` scans it once per
 * phrase (issue 14: the rules ran 10–30 patterns over several thousand characters of every page).
 * Pure.
 */

/**
 * One pattern that matches where any pattern of `list` matches. The patterns are grouped by
 * flags so that each keeps its own (a case-sensitive pattern is not folded into a
 * case-insensitive one); only `i` and no flag are taken, since `g`/`y` would make `test` keep
 * state and `m`/`s`/`u` change what the parts mean. Each part is wrapped in `(?:…)`, so its
 * own alternatives and anchors stay its own. Capturing groups and backreferences are refused:
 * their numbers would shift.
 */
export function anyOf(list: readonly RegExp[]): { test(text: string): boolean } {
  const byFlags = new Map<string, string[]>();
  for (const re of list) {
    if (re.flags !== '' && re.flags !== 'i') throw new Error(`anyOf: unsupported flags /${re.flags}`);
    if (/\((?!\?)|\\[1-9]/.test(re.source.replace(/\\\\|\\\(|\[(?:\\.|[^\]])*\]/g, ''))) {
      throw new Error(`anyOf: capturing group or backreference in /${re.source}/`);
    }
    const sources = byFlags.get(re.flags) ?? [];
    sources.push(`(?:${re.source})`);
    byFlags.set(re.flags, sources);
  }
  const patterns = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
  if (patterns.length === 1) return patterns[0]!;
  return { test: (text: string): boolean => patterns.some((re) => re.test(text)) };
}
