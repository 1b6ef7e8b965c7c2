/**
 * The command line in-process (`main()`): help, exit codes, bad input refused with one line and
 * nothing written, option validation, `--fail-on`, the JSON Schema, and GitHub Actions mode.
 * Network-free: runs are `--offline` or fail before the network.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/cli.js';
import { SEED_PATH } from './support/seed.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env,
    terminal: { isTTY: false, write: () => true },
  });
  return { code, stdout, stderr };
}

const state = () => join(dir, 'state.sqlite');
const out = () => join(dir, 'reports');

describe('help and usage', () => {
  it('--help explains every option of check, with exit 0', async () => {
    const { code, stdout } = await cli(['check', '--help']);
    expect(code).toBe(EXIT.ok);
    for (const flag of [
      '--wiki',
      '--wiki-list',
      '--offline',
      '--state',
      '--confirm',
      '--confirm-span',
      '--full',
      '--allow-network',
      '--endpoint',
      '--concurrency',
      '--per-host-concurrency',
      '--per-host-interval',
      '--timeout',
      '--user-agent',
      '--archive',
      '--patch',
      '--shard',
      '--fail-on',
    ])
      expect(stdout).toContain(flag);
    expect(stdout).toContain('Exit codes');
  });

  it('an unknown option is a usage error (2)', async () => {
    expect((await cli(['check', '--bogus'])).code).toBe(EXIT.usage);
  });

  it.each([
    [['--concurrency', '0']],
    [['--shard', '5/4']],
    [['--shard', 'two']],
    [['--endpoint', 'nowhere=http://x.test']],
    [['--endpoint', 'doi=ftp://x.test']],
    [['--fail-on', 'no-such-kind']],
    [['--now', 'yesterday']],
    [['--quiet', '--verbose']],
  ])('rejects %j with exit 2 and one line naming the problem', async (flags) => {
    const { code, stderr } = await cli([
      'check',
      SEED_PATH,
      '--offline',
      '--out',
      out(),
      '--state',
      state(),
      ...flags,
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')[0]).toMatch(/^citewatch: /);
    expect(existsSync(out())).toBe(false);
  });

  it.each([
    '1',
    '7/3/2021',
    '2021-02-30',
    '2021-13-01',
    '2021-02-29',
    '2021-1-5',
    '2021-01-05 12:00',
    '2021-01-05T12:00',
    '2021-01-05T24:00Z',
    '2021-01-05T12:60Z',
    '2021-01-05T12:00:61Z',
    '2021-01-05T12:00+25:00',
    'Tue, 05 Jan 2021 12:00:00 GMT',
    '+275760-09-13T00:00:00Z',
    '0000-01-01',
    '1969-12-31T23:59:59Z',
    '9999-12-31',
  ])('--now %j is refused: exit 2, one line, nothing written, nothing in the history', async (now) => {
    const { code, stderr } = await cli([
      'check',
      SEED_PATH,
      '--offline',
      '--out',
      out(),
      '--state',
      state(),
      '--now',
      now,
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^citewatch: --now: /);
    expect(existsSync(out())).toBe(false);
    expect(existsSync(state())).toBe(false);
  });

  it.each([
    ['2021-02-28', '2021-02-28T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2021-01-05T12:00Z', '2021-01-05T12:00:00.000Z'],
    ['2021-01-05T12:00:30+02:00', '2021-01-05T10:00:30.000Z'],
    ['2021-01-05T12:00:30.5-01:30', '2021-01-05T13:30:30.500Z'],
    ['2021-01-05T23:59:59.999Z', '2021-01-05T23:59:59.999Z'],
  ])('--now %j is the instant %s', async (now, instant) => {
    const { code } = await cli([
      'check',
      SEED_PATH,
      '--offline',
      '--quiet',
      '--format',
      'json',
      '--out',
      out(),
      '--state',
      state(),
      '--now',
      now,
    ]);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(
      await readFile(join(out(), 'artificial-intelligence-industry-in-china.json'), 'utf8'),
    ) as { run: { now: string } };
    expect(report.run.now).toBe(instant);
  });

  it('nothing to check is a usage error', async () => {
    const { code, stderr } = await cli(['check', '--offline', '--out', out()]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('nothing to check');
  });
});

describe('bad input', () => {
  it.each([
    ['a missing file', async () => join(dir, 'missing.md')],
    [
      'an empty file',
      async () => {
        await writeFile(join(dir, 'empty.md'), '');
        return join(dir, 'empty.md');
      },
    ],
    [
      'a binary file',
      async () => {
        await writeFile(join(dir, 'blob.md'), Buffer.from([0, 1, 2, 3, 0, 255, 254]));
        return join(dir, 'blob.md');
      },
    ],
  ])('%s: one line naming it, exit 2, no report and no state', async (_name, make) => {
    const path = await make();
    const { code, stderr } = await cli([
      'check',
      path,
      '--offline',
      '--quiet',
      '--out',
      out(),
      '--state',
      state(),
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(path);
    expect(existsSync(out())).toBe(false);
    expect(existsSync(state())).toBe(false);
  });

  it('--patch on a non-wikitext article is refused before anything is written', async () => {
    const { code, stderr } = await cli([
      'check',
      SEED_PATH,
      '--offline',
      '--quiet',
      '--out',
      out(),
      '--state',
      state(),
      '--patch',
      join(dir, 'x.wiki'),
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('--patch');
    expect(existsSync(out())).toBe(false);
  });
});

describe('workflow commands smuggled in paths and titles', () => {
  /** True when some line would be read by GitHub's runner as a workflow command. */
  const commandLines = (text: string): string[] => text.split('\n').filter((l) => /^\s*::/.test(l));

  it('a file named "x\\n::error::pwned.txt": one escaped line on stderr, exit 2', async () => {
    const path = join(dir, 'x\n::error::pwned%0A.txt');
    await writeFile(path, '');
    const { code, stderr } = await cli([
      'check',
      path,
      '--offline',
      '--quiet',
      '--out',
      out(),
      '--state',
      state(),
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(commandLines(stderr)).toEqual([]);
    expect(stderr).toContain('x%0A::error::pwned%250A.txt');
  });

  it('a --wiki-list path and a bad choice carrying "::" lines are defused', async () => {
    const list = await cli(['check', '--wiki-list', `${dir}/a\n::warning::x`, '--offline', '--out', out()]);
    expect(list.code).toBe(EXIT.usage);
    expect(commandLines(list.stderr)).toEqual([]);
    const choice = await cli(['check', SEED_PATH, '--input-format', 'x\n::error::y', '--out', out()]);
    expect(choice.code).toBe(EXIT.usage);
    expect(choice.stderr).not.toBe('');
    expect(commandLines(choice.stderr)).toEqual([]);
  });

  it('annotations for an article whose path holds "\\n::error::" stay one command each', async () => {
    const path = join(dir, 'y\n::error::pwned.md');
    await writeFile(path, await readFile(SEED_PATH, 'utf8'));
    const outputs = join(dir, 'outputs.txt');
    await writeFile(outputs, '');
    const { code, stdout } = await cli(
      ['check', path, '--offline', '--quiet', '--out', out(), '--state', state()],
      { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputs },
    );
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^::(warning|error|notice) file=[^,]*y%0A%3A%3Aerror%3A%3Apwned\.md,line=\d+,/);
  });
});

describe('runs', () => {
  it('checks the seed offline: reports written, exit 0', async () => {
    const { code, stdout } = await cli([
      'check',
      SEED_PATH,
      '--offline',
      '--quiet',
      '--out',
      out(),
      '--state',
      state(),
    ]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('');
    const report = JSON.parse(
      await readFile(join(out(), 'artificial-intelligence-industry-in-china.json'), 'utf8'),
    ) as { summary: { references: number }; run: { offline: boolean } };
    expect(report.summary.references).toBe(93);
    expect(report.run.offline).toBe(true);
    expect(existsSync(join(out(), 'summary.md'))).toBe(true);
  });

  it('--fail-on citation-needed exits 1 on the seed; --fail-on new-dead does not', async () => {
    const base = ['check', SEED_PATH, '--offline', '--quiet', '--out', out(), '--state', state()];
    expect((await cli([...base, '--fail-on', 'citation-needed'])).code).toBe(EXIT.failOn);
    expect((await cli([...base, '--fail-on', 'new-dead,dead'])).code).toBe(EXIT.ok);
  });

  it('the config file supplies options; flags override it', async () => {
    const config = join(dir, 'citewatch.json');
    await writeFile(config, JSON.stringify({ offline: true, format: 'json', quiet: true, state: state() }));
    const { code } = await cli(['check', SEED_PATH, '--config', config, '--out', out(), '--format', 'md']);
    expect(code).toBe(EXIT.ok);
    expect(existsSync(join(out(), 'artificial-intelligence-industry-in-china.md'))).toBe(true);
    expect(existsSync(join(out(), 'artificial-intelligence-industry-in-china.json'))).toBe(false);
  });

  it('a config file with an unknown key is a usage error', async () => {
    const config = join(dir, 'citewatch.json');
    await writeFile(config, JSON.stringify({ ofline: true }));
    expect((await cli(['check', SEED_PATH, '--config', config, '--out', out()])).code).toBe(EXIT.usage);
  });

  it('inside GitHub Actions: outputs, job summary, annotations on stdout', async () => {
    const outputs = join(dir, 'outputs.txt');
    const summary = join(dir, 'summary.md');
    await writeFile(outputs, '');
    await writeFile(summary, '');
    const { code, stdout } = await cli(
      ['check', SEED_PATH, '--offline', '--quiet', '--out', out(), '--state', state()],
      { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary },
    );
    expect(code).toBe(EXIT.ok);
    expect(await readFile(outputs, 'utf8')).toMatch(/^unsourced=\d+$/m);
    expect(await readFile(outputs, 'utf8')).toContain('exit-code=0');
    expect(await readFile(summary, 'utf8')).toContain('# citewatch summary');
    expect(stdout).toMatch(/^::warning file=.*line=\d+,title=citewatch%3A citation-needed::/m);
  });

  it('schema prints the JSON Schema of the report', async () => {
    const { code, stdout } = await cli(['schema']);
    expect(code).toBe(EXIT.ok);
    const schema = JSON.parse(stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['schemaVersion', 'article', 'findings']),
    );
  });
});
