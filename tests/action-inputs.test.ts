/**
 * The action's inputs as the runner gives them (`INPUT_*`, upper-cased, hyphens kept) turned
 * into a citewatch command line: shell words for `args`, paths checked and globs expanded for
 * `paths`, `command` dispatch, `now`. Regression tests for issue 13: missing paths, globs and
 * paths with spaces were silently dropped; quotes in `args` were not honoured and only its
 * first line was read (the old `scripts/action-run.sh`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandBraces, expandGlob } from '../src/action/glob.js';
import { actionCommand, readInput, resolvePaths } from '../src/action/run.js';
import { splitWords } from '../src/action/words.js';
import { UsageError } from '../src/errors.js';
import { actionInputs } from './support/action-inputs.js';

let ws: string;
beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'cw-action-inputs-'));
  for (const f of [
    'references/a.md',
    'references/b.wiki',
    'references/deep/c.wiki',
    'references/deep/deeper/d.wiki',
    'references/.hidden/e.wiki',
    'my articles/one two.md',
    'reports/shard-1/x.json',
    'reports/shard-2/x.json',
  ]) {
    mkdirSync(join(ws, f, '..'), { recursive: true });
    writeFileSync(join(ws, f), 'text\n');
  }
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('splitWords (the args input)', () => {
  it.each([
    ['--now 2026-01-01 --confirm 1', ['--now', '2026-01-01', '--confirm', '1']],
    [
      `--user-agent "my bot (+https://x.test)" --wiki 'Link rot'`,
      ['--user-agent', 'my bot (+https://x.test)', '--wiki', 'Link rot'],
    ],
    ["--wiki It\\'s\\ here", ['--wiki', "It's here"]],
    ['--wiki "say \\"hi\\" \\\\ $HOME"', ['--wiki', 'say "hi" \\ $HOME']],
    ["--wiki '$(rm -rf /)' `x` *", ['--wiki', '$(rm -rf /)', '`x`', '*']],
    [
      '--full\n--confirm 2\n  # a comment line\n--offline # trailing',
      ['--full', '--confirm', '2', '--offline'],
    ],
    ['--wiki a\\\n--b', ['--wiki', 'a--b']],
    ['--x ""  --y \'\'', ['--x', '', '--y', '']],
    ['a#b', ['a#b']],
    ['', []],
  ])('%j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it('an unterminated quote is a usage error, not a guess', () => {
    expect(() => splitWords('--wiki "Link rot')).toThrow(UsageError);
    expect(() => splitWords("--wiki 'Link rot")).toThrow(/args: unterminated single quote/);
  });
});

describe('globs', () => {
  it('expands braces, nested and not', () => {
    expect(expandBraces('a/{b,c}.{md,wiki}')).toEqual(['a/b.md', 'a/b.wiki', 'a/c.md', 'a/c.wiki']);
    expect(expandBraces('x{a,{b,c}}')).toEqual(['xa', 'xb', 'xc']);
    expect(expandBraces('x{a}')).toEqual(['x{a}']);
  });

  it('matches *, ?, ** and classes; not hidden files; sorted', () => {
    expect(expandGlob('references/*.wiki', ws)).toEqual(['references/b.wiki']);
    expect(expandGlob('references/**/*.wiki', ws)).toEqual([
      'references/b.wiki',
      'references/deep/c.wiki',
      'references/deep/deeper/d.wiki',
    ]);
    expect(expandGlob('references/?.{md,wiki}', ws)).toEqual(['references/a.md', 'references/b.wiki']);
    expect(expandGlob('references/[ab].*', ws)).toEqual(['references/a.md', 'references/b.wiki']);
    expect(expandGlob('reports/shard-*', ws)).toEqual(['reports/shard-1', 'reports/shard-2']);
    expect(expandGlob('nothing/*.md', ws)).toEqual([]);
  });
});

describe('the paths input', () => {
  it('regression: a path that does not exist fails instead of being dropped', () => {
    expect(() => resolvePaths('references/ referencse/', ws)).toThrow(UsageError);
    expect(() => resolvePaths('references/\nreferencse/', ws)).toThrow('paths: not found: referencse/');
  });

  it('regression: a glob is expanded, and one that matches nothing fails', () => {
    expect(resolvePaths('references/**/*.wiki', ws)).toEqual([
      'references/b.wiki',
      'references/deep/c.wiki',
      'references/deep/deeper/d.wiki',
    ]);
    expect(() => resolvePaths('references/*.html', ws)).toThrow('references/*.html (matches nothing)');
  });

  it('regression: a path with spaces is kept whole, on its own line or quoted', () => {
    expect(resolvePaths('my articles/one two.md', ws)).toEqual(['my articles/one two.md']);
    expect(resolvePaths('references/a.md\nmy articles/one two.md\n', ws)).toEqual([
      'references/a.md',
      'my articles/one two.md',
    ]);
    expect(resolvePaths(`references/a.md "my articles/one two.md" 'my articles'/*.md`, ws)).toEqual([
      'references/a.md',
      'my articles/one two.md',
    ]);
  });

  it('one per line or several on a line; duplicates once; blank and # lines skipped', () => {
    expect(
      resolvePaths('\n# the articles\nreferences/a.md references/b.wiki\nreferences/a.md\n\n', ws),
    ).toEqual(['references/a.md', 'references/b.wiki']);
  });
});

describe('the command line the inputs ask for', () => {
  it('check, with every input as the runner spells it (INPUT_WIKI-LIST, INPUT_FAIL-ON)', () => {
    const env = actionInputs({
      paths: 'references/*.md',
      wiki: 'Link rot\n  Digital preservation  \n',
      'wiki-list': 'titles.txt',
      'fail-on': 'new-dead',
      now: '2026-11-01T03:00:00Z',
      args: '--confirm 2\n--user-agent "bot (+https://x.test; ops@x.test)"',
    });
    expect(Object.keys(env)).toContain('INPUT_WIKI-LIST');
    expect(readInput(env, 'wiki-list')).toBe('titles.txt');
    expect(actionCommand(env, ws).argv).toEqual([
      'check',
      'references/a.md',
      '--wiki',
      'Link rot',
      '--wiki',
      'Digital preservation',
      '--wiki-list',
      'titles.txt',
      '--out',
      'reports',
      '--state',
      '.citewatch/state.sqlite',
      '--fail-on',
      'new-dead',
      '--now',
      '2026-11-01T03:00:00Z',
      '--confirm',
      '2',
      '--user-agent',
      'bot (+https://x.test; ops@x.test)',
    ]);
  });

  it('merge takes the paths as reports and only the options merge has', () => {
    const { argv } = actionCommand(
      actionInputs({ command: 'merge', paths: 'reports/shard-*', out: 'merged' }),
      ws,
    );
    expect(argv).toEqual([
      'merge',
      'reports/shard-1',
      'reports/shard-2',
      '--out',
      'merged',
      '--state',
      '.citewatch/state.sqlite',
    ]);
  });

  it('an input the command has no option for is a usage error', () => {
    expect(() =>
      actionCommand(actionInputs({ command: 'merge', paths: 'reports/shard-1', wiki: 'X' }), ws),
    ).toThrow('input wiki is not an option of `citewatch merge`');
  });

  it('an unknown command goes to the CLI, which names it', () => {
    expect(actionCommand(actionInputs({ command: 'frobnicate', args: '--x' }), ws).argv).toEqual([
      'frobnicate',
      '--x',
    ]);
  });

  it('Save Page Now keys: both turn on --archive and reach the CLI by environment only, masked', () => {
    const c = actionCommand(actionInputs({ 'spn-access-key': 'AK', 'spn-secret': 'S3' }), ws);
    expect(c.argv).toContain('--archive');
    expect(c.argv.join(' ')).not.toMatch(/AK|S3/);
    expect(c.env).toEqual({ CITEWATCH_SPN_ACCESS_KEY: 'AK', CITEWATCH_SPN_SECRET: 'S3' });
    expect(c.secrets).toEqual(['AK', 'S3']);
    expect(() => actionCommand(actionInputs({ 'spn-access-key': 'AK' }), ws)).toThrow(/given together/);
  });
});
