/**
 * Glob patterns of the action's `paths` input: `*` and `?` within one path segment, `**` for
 * any number of directories, `[abc]` classes and `{a,b}` alternatives. Like a shell, a wildcard
 * does not match a leading dot, and matches come back sorted. Node 20 has no `fs.glob`, hence
 * this small walker.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[{]/;

/** Whether `pattern` has any glob syntax at all. */
export const isGlob = (pattern: string): boolean => MAGIC.test(pattern);

/** `a{b,c}d` → `abd`, `acd`; nested braces too. A brace without a comma stays literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      if (depth === 0) {
        open = i;
        commas.length = 0;
      }
      depth++;
    } else if (c === ',' && depth === 1) {
      commas.push(i);
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0 && commas.length > 0) {
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const bounds = [open, ...commas, i];
        const out: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++)
          for (const alt of expandBraces(pattern.slice(bounds[k]! + 1, bounds[k + 1])))
            out.push(...expandBraces(head + alt + tail));
        return out;
      }
    }
  }
  return [pattern];
}

/** One path segment's pattern as a regular expression (no `/` inside). */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) re += escapeChar(segment[++i]!);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += escapeChar(c);
  }
  return new RegExp(`^${re}$`);
}

const escapeChar = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function listDir(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({
      name: e.name,
      dir: e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, e.name))),
    }));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The files and directories `pattern` matches under `cwd`, as relative (or absolute) paths, sorted. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const found = new Set<string>();
  for (const p of expandBraces(pattern)) {
    const absolute = p.startsWith('/');
    const segments = p.split('/').filter((s, i) => s !== '' || i === 0);
    if (absolute) segments.shift();
    walk(absolute ? '/' : '', segments, cwd, found);
  }
  return [...found].sort();
}

function walk(prefix: string, segments: readonly string[], cwd: string, found: Set<string>): void {
  const here = (name: string): string =>
    prefix === '' ? name : prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
  const onDisk = (rel: string): string => (rel.startsWith('/') ? rel : join(cwd, rel || '.'));
  if (segments.length === 0) {
    if (prefix !== '') found.add(prefix);
    return;
  }
  const [segment, ...rest] = segments as [string, ...string[]];
  if (segment === '**') {
    // Zero directories, then each directory below (not hidden ones, as a shell's globstar).
    walk(prefix, rest, cwd, found);
    for (const e of listDir(onDisk(prefix)))
      if (e.dir && !e.name.startsWith('.')) walk(here(e.name), segments, cwd, found);
    return;
  }
  if (!isGlob(segment)) {
    const literal = segment.replace(/\\(.)/g, '$1');
    const next = here(literal);
    if (rest.length === 0 ? exists(onDisk(next)) : isDirectory(onDisk(next))) walk(next, rest, cwd, found);
    return;
  }
  const re = segmentRegExp(segment);
  for (const e of listDir(onDisk(prefix))) {
    if (e.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!re.test(e.name)) continue;
    if (rest.length > 0 && !e.dir) continue;
    walk(here(e.name), rest, cwd, found);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
