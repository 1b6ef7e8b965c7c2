/**
 * Just enough of a wikitext reader to edit templates in place: where each `{{…}}` starts and
 * ends, its name, and the exact character ranges of its parameters. Offsets index the
 * original text, so an edit changes those characters and nothing else. Pure.
 */

/** One `|name=value` (or `|value`) of a template, with offsets into the text. */
export interface TemplateParam {
  /** Offset of the `|` before the parameter. */
  pipe: number;
  /** Whitespace before the `|` (what the previous parameter ends with). */
  before: string;
  /** Lower-cased, trimmed name; `''` for a positional parameter. */
  name: string;
  /** Whitespace between the `|` and the name. */
  afterPipe: string;
  /** Whitespace between the name and `=`. */
  beforeEquals: string;
  /** Whitespace after `=`. */
  afterEquals: string;
  /** The value, trimmed. */
  value: string;
  /** Offsets of the trimmed value (`valueStart === valueEnd` when empty). */
  valueStart: number;
  valueEnd: number;
  /** Offset just after the parameter's segment (at the next `|` or the closing `}}`). */
  end: number;
}

export interface Template {
  /** Offset of `{{`. */
  start: number;
  /** Offset just after `}}`. */
  end: number;
  /** Lower-cased, trimmed, `_` as space. */
  name: string;
  params: TemplateParam[];
}

/**
 * The text with comments, `<nowiki>`, `<pre>` and `<syntaxhighlight>` contents blanked (same
 * length), so that nothing inside them is taken for markup.
 */
export function maskInert(text: string): string {
  const blank = (m: string): string => m.replace(/[^\n]/g, ' ');
  return text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, blank)
    .replace(/<(nowiki|pre|syntaxhighlight|source|math)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/gi, blank);
}

/** Every `{{…}}` in `masked` (nested ones too), in order of their start. */
export function findTemplates(masked: string): Template[] {
  const spans: Array<{ start: number; end: number }> = [];
  const open: number[] = [];
  for (let i = 0; i < masked.length - 1; i++) {
    if (masked[i] === '{' && masked[i + 1] === '{') {
      open.push(i);
      i++;
    } else if (masked[i] === '}' && masked[i + 1] === '}' && open.length > 0) {
      spans.push({ start: open.pop()!, end: i + 2 });
      i++;
    }
  }
  return spans.sort((a, b) => a.start - b.start).map(({ start, end }) => parseTemplate(masked, start, end));
}

/** Splits a template's inside at its own `|` (not those of nested templates or links). */
function parseTemplate(masked: string, start: number, end: number): Template {
  const inner = start + 2;
  const close = end - 2;
  const pipes: number[] = [];
  let braces = 0;
  let brackets = 0;
  for (let i = inner; i < close; i++) {
    const two = masked.slice(i, i + 2);
    if (two === '{{') {
      braces++;
      i++;
    } else if (two === '}}') {
      braces--;
      i++;
    } else if (two === '[[') {
      brackets++;
      i++;
    } else if (two === ']]') {
      brackets--;
      i++;
    } else if (masked[i] === '|' && braces === 0 && brackets === 0) pipes.push(i);
  }
  const nameEnd = pipes[0] ?? close;
  const name = masked.slice(inner, nameEnd).trim().toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ');
  const params = pipes.map((pipe, k) => {
    const segEnd = pipes[k + 1] ?? close;
    const prevStart = k === 0 ? inner : pipes[k - 1]! + 1;
    const before = /\s*$/.exec(masked.slice(prevStart, pipe))![0];
    return parseParam(masked, pipe, segEnd, before);
  });
  return { start, end, name, params };
}

function parseParam(masked: string, pipe: number, end: number, before: string): TemplateParam {
  const segment = masked.slice(pipe + 1, end);
  const eq = segment.indexOf('=');
  // `=` inside a nested template or link is part of a positional value, not a name.
  const named = eq >= 0 && !/\{\{|\[\[/.test(segment.slice(0, eq));
  const afterPipe = /^\s*/.exec(segment)![0];
  if (!named) {
    const valueStart = pipe + 1 + afterPipe.length;
    const trimmed = segment.trim();
    return {
      pipe,
      before,
      name: '',
      afterPipe,
      beforeEquals: '',
      afterEquals: '',
      value: trimmed,
      valueStart,
      valueEnd: valueStart + trimmed.length,
      end,
    };
  }
  const rawName = segment.slice(0, eq);
  const beforeEquals = /\s*$/.exec(rawName)![0];
  const rest = segment.slice(eq + 1);
  const value = rest.trim();
  // An empty value sits right after `=`: its whitespace belongs to the separator that follows.
  const afterEquals = value === '' ? '' : /^\s*/.exec(rest)![0];
  const valueStart = pipe + 1 + eq + 1 + afterEquals.length;
  return {
    pipe,
    before,
    name: rawName.trim().toLowerCase(),
    afterPipe,
    beforeEquals,
    afterEquals,
    value,
    valueStart,
    valueEnd: valueStart + value.length,
    end,
  };
}

/** A CS1/CS2 citation template: `{{cite …}}` or `{{citation}}`. */
export const isCitationTemplate = (t: Template): boolean => /^(?:cite\b|citation$)/.test(t.name);

/** The template that starts at `offset` after optional whitespace, when its name matches. */
export function templateAfter(
  templates: readonly Template[],
  masked: string,
  offset: number,
  names: RegExp,
): Template | undefined {
  const ws = /^[ \t]*/.exec(masked.slice(offset))![0];
  const at = offset + ws.length;
  const t = templates.find((x) => x.start === at);
  return t && names.test(t.name) ? t : undefined;
}
