/**
 * The action's `args` and `paths` inputs split into words as a POSIX shell splits them —
 * blanks and newlines separate, single quotes keep everything, double quotes keep all but
 * `\"`, `\\`, `\$` and `` \` ``, a backslash outside quotes keeps the next character, `#` at
 * the start of a word comments out the rest of its line — and nothing is ever evaluated:
 * `$HOME`, `$(…)` and globs stay literal text. Pure.
 */
import { UsageError } from '../errors.js';

const BLANK = /[ \t\r\n]/;

/** The words of `text`; an unterminated quote is a `UsageError` naming `what`. */
export function splitWords(text: string, what = 'args'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (BLANK.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '#' && !inWord) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new UsageError(`${what}: unterminated single quote: ${text.slice(i, i + 40)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= text.length)
          throw new UsageError(
            `${what}: unterminated double quote: ${text.slice(text.lastIndexOf('"', i - 1), i).slice(0, 40)}`,
          );
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          // A backslash-newline inside double quotes joins the lines, as in a shell.
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) {
        word += '\\';
        inWord = true;
        i++;
      } else if (next === '\n') {
        i += 2; // line continuation
      } else {
        word += next;
        inWord = true;
        i += 2;
      }
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
