/**
 * Fault injection: runs that fail part way (a folder squatting a report's name, a full disk,
 * kill -9, SIGTERM while writing) and bad environments (`--out` a file or read-only, a
 * read-only, corrupt or newer `--state`, an out-of-range `--now`). For each: the exit code, one
 * line on stderr, nothing half-written, and the state still reports the news on the next run.
 * The web is the loopback simulator, reached by IP literal so the CLI runs in-process as a user
 * runs it (`--allow-network 127.0.0.0/8`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/cli.js';
import { ERROR_CODES, ReportError } from '../src/errors.js';
import { openHistory } from '../src/history/index.js';
import type { Report } from '../src/model.js';
import { resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { MANIFEST_FILE, type ReportFs } from '../src/report/write.js';
import { makeReadOnly, type Undo } from './support/read-only.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

let dir: string;
let sim: Simulator | undefined;
const undos: Undo[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-faults-'));
});
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  for (const undo of undos.splice(0)) await undo();
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const day = (n: number): string => new Date(Date.parse('2026-11-01T02:17:00Z') + n * DAY).toISOString();
const out = () => join(dir, 'reports');
const state = () => join(dir, 'state.sqlite');

interface Web {
  live: string;
  /** Alive until `kill()` is called, then 404. */
  gone: string;
  /** Alive, but between `stall()` and `unstall()` it never answers and `onHang` is told. */
  hang: string;
  kill(): void;
  stall(): void;
  unstall(): void;
}

/** The simulated web of these tests. */
async function startWeb(onHang: () => void = () => {}): Promise<Web> {
  const routes: Record<string, ReturnType<typeof behaviours.ok>> = {
    '/live': behaviours.ok(),
    '/gone': behaviours.ok(),
    '/hang': behaviours.ok(),
  };
  sim = await startSimulator([{ name: 'news.test', routes }]);
  const s = sim;
  // An IP literal needs no name lookup: the CLI resolves nothing, the guard allows 127/8.
  const at = (path: string) => s.url('news.test', path).replace('news.test', s.addressOf('news.test'));
  return {
    live: at('/live'),
    gone: at('/gone'),
    hang: at('/hang'),
    kill: () => {
      routes['/gone'] = behaviours.notFound();
    },
    stall: () => {
      routes['/hang'] = () => onHang();
    },
    unstall: () => {
      routes['/hang'] = behaviours.ok();
    },
  };
}

/** A wikitext article citing `urls`, one reference each; its title is its file name's. */
async function writeArticle(name: string, title: string, urls: string[]): Promise<string> {
  const refs = urls
    .map(
      (url, i) =>
        `Claim ${i + 1} about ${title}.<ref>{{cite web |url=${url} |title=Source ${i + 1} |website=Example |date=2025-03-01 |access-date=2026-01-05}}</ref>`,
    )
    .join(' ');
  const path = join(dir, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `'''${title}''' is a test subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
  return path;
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: {},
    terminal: { isTTY: false, write: () => true },
  });
  return { code, stdout, stderr };
}

/** Flags of a run that fetches every link, calls a 404 dead at once and fails on new dead links. */
const runFlags = (now: string, extra: string[] = []) => [
  '--out',
  out(),
  '--state',
  state(),
  '--now',
  now,
  '--allow-network',
  '127.0.0.0/8',
  '--snapshots',
  'none',
  '--confirm',
  '1',
  '--full',
  '--per-host-interval',
  '0',
  '--quiet',
  '--fail-on',
  'new-dead',
  ...extra,
];

const newlyDead = async (slug: string): Promise<number> =>
  (JSON.parse(await readFile(join(out(), `${slug}.json`), 'utf8')) as Report).changes?.newlyDead.length ?? 0;

/** Runs a test support script in its own process group (tsx as a loader: no npx in between). */
function spawnScript(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Resolves when the child prints `line`. */
const printed = (child: ChildProcess, line: string): Promise<void> =>
  new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.split('\n').includes(line)) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`child ended (${code ?? signal}) before ${line}`)));
  });

const ended = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.on('exit', (code, signal) => resolve({ code, signal }));
  });

const temporaryFiles = async (path: string): Promise<string[]> =>
  existsSync(path) ? (await readdir(path)).filter((f) => f.endsWith('.tmp')) : [];

describe('a run that fails after checking keeps its news for the next run', () => {
  it('a folder squatting a report’s name: exit 2, one line naming it, nothing written; next run: new-dead exits 1', async () => {
    const web = await startWeb();
    const article = await writeArticle('alpha.wiki', 'Alpha', [web.live, web.gone]);
    expect((await cli(['check', article, ...runFlags(day(0))])).code).toBe(EXIT.ok);
    web.kill();
    await rm(out(), { recursive: true });
    await mkdir(join(out(), 'alpha.json'), { recursive: true });

    const failed = await cli(['check', article, ...runFlags(day(1))]);
    expect(failed.code).toBe(EXIT.usage);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toContain(join(out(), 'alpha.json'));
    expect(await readdir(out())).toEqual(['alpha.json']);

    await rm(join(out(), 'alpha.json'), { recursive: true });
    const next = await cli(['check', article, ...runFlags(day(2))]);
    expect(next.code).toBe(EXIT.failOn);
    expect(await newlyDead('alpha')).toBe(1);
    // Once reported, the dead link is no longer news.
    expect((await cli(['check', article, ...runFlags(day(3))])).code).toBe(EXIT.ok);
  });

  it('a full disk while writing (ENOSPC): a ReportError, no report, no temporary file; the next run reports the news', async () => {
    const web = await startWeb();
    const article = await writeArticle('beta.wiki', 'Beta', [web.gone]);
    const options = (now: string) =>
      resolveCheckOptions({
        inputs: [article],
        out: out(),
        state: state(),
        now,
        allowNetwork: ['127.0.0.0/8'],
        snapshots: 'none',
        confirm: 1,
        full: true,
        perHostInterval: 0,
        failOn: ['new-dead'],
      });
    let writes = 0;
    const fullDisk: ReportFs = {
      writeFile: async (path, data, encoding) => {
        writes += 1;
        if (writes === 2)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await writeFile(path, data, encoding);
      },
      rename: async () => {
        throw new Error('never reached');
      },
    };
    expect((await runCheck(options(day(0)))).failed).toEqual([]);
    web.kill();
    await rm(out(), { recursive: true });
    const error = await runCheck(options(day(1)), { reportFs: fullDisk }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe(ERROR_CODES.report);
    expect((error as ReportError).message).toMatch(/ENOSPC/);
    // No report and no temporary file: the folder this run made is removed with them (empty).
    expect(existsSync(out()) ? await readdir(out()) : []).toEqual([]);

    const next = await runCheck(options(day(2)));
    expect(next.articles[0]?.changes?.newlyDead).toHaveLength(1);
    expect(next.failed.map((m) => m.kind)).toEqual(['new-dead']);
  });
});

describe('a run that fails after staging its article states', () => {
  it('writing summary.md fails once every state is staged: none counts; the next run reports the news and deletes them', async () => {
    const web = await startWeb();
    const articles = [
      await writeArticle('epsilon.wiki', 'Epsilon', [web.gone]),
      await writeArticle('zeta.wiki', 'Zeta', [web.live]),
    ];
    const options = (now: string) =>
      resolveCheckOptions({
        inputs: articles,
        out: out(),
        state: state(),
        now,
        allowNetwork: ['127.0.0.0/8'],
        snapshots: 'none',
        confirm: 1,
        full: true,
        perHostInterval: 0,
        failOn: ['new-dead'],
      });
    const rows = (table: string): Array<{ run_id: number; article_key: string }> => {
      const db = new Database(state(), { readonly: true });
      try {
        return db
          .prepare(`SELECT run_id, article_key FROM ${table} ORDER BY run_id, article_key`)
          .all() as Array<{ run_id: number; article_key: string }>;
      } finally {
        db.close();
      }
    };
    expect((await runCheck(options(day(0)))).failed).toEqual([]);
    web.kill();
    // The reports are written (or kept as they were), then summary.md fails.
    const summaryFails: ReportFs = {
      writeFile: async (path, data, encoding) => {
        if (path.includes('summary.md'))
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        await writeFile(path, data, encoding);
      },
      rename: async () => {
        throw new Error('never reached');
      },
    };
    await expect(runCheck(options(day(1)), { reportFs: summaryFails })).rejects.toBeInstanceOf(ReportError);
    // Both states were staged as their articles were done; none reached article_states.
    expect(rows('article_states_staged')).toEqual([
      { run_id: 2, article_key: 'title:epsilon' },
      { run_id: 2, article_key: 'title:zeta' },
    ]);
    expect(rows('article_states').map((r) => r.run_id)).toEqual([1, 1]);

    const next = await runCheck(options(day(2)));
    expect(next.articles.map((a) => [a.title, a.changes?.newlyDead.length])).toEqual([
      ['epsilon', 1],
      ['zeta', 0],
    ]);
    expect(next.failed.map((m) => m.kind)).toEqual(['new-dead']);
    expect(rows('article_states_staged')).toEqual([]);
    expect(rows('article_states').map((r) => r.run_id)).toEqual([1, 1, 3, 3]);
  });
});

/** A sound state database with one finished run, at `path`. */
function seedState(path: string): void {
  const store = openHistory(path, { now: () => day(0) });
  const run = store.beginRun();
  for (let i = 0; i < 2000; i++)
    store.recordObservation(run, {
      url: `https://site${i}.test/page`,
      outcome: 'alive',
      reason: 'http-200',
      at: day(0),
      durationMs: 1,
      bytes: 1,
    });
  store.finishRun(run);
  store.close();
}

const sha = async (path: string): Promise<string> =>
  (await import('node:crypto'))
    .createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('a bad environment is refused before any network work: exit 2, one line, nothing written', () => {
  const cases: Array<[string, () => Promise<{ flags: string[]; names: string }>]> = [
    [
      '--out is a file',
      async () => {
        await writeFile(out(), 'not a folder');
        return { flags: [], names: out() };
      },
    ],
    [
      '--out lies under a file',
      async () => {
        await writeFile(join(dir, 'file'), 'x');
        return { flags: ['--out', join(dir, 'file', 'reports')], names: join(dir, 'file', 'reports') };
      },
    ],
    [
      '--out is a read-only folder',
      async () => {
        await mkdir(out());
        undos.push(await makeReadOnly(out()));
        return { flags: [], names: out() };
      },
    ],
    [
      '--state is a read-only database',
      async () => {
        seedState(state());
        undos.push(await makeReadOnly(state()));
        return { flags: [], names: state() };
      },
    ],
    [
      '--state lies in a read-only folder',
      async () => {
        const folder = join(dir, 'locked');
        await mkdir(folder);
        undos.push(await makeReadOnly(folder));
        return { flags: ['--state', join(folder, 'state.sqlite')], names: folder };
      },
    ],
    [
      '--state is internally corrupt',
      async () => {
        seedState(state());
        const { open } = await import('node:fs/promises');
        const handle = await open(state(), 'r+');
        // Page 6 and on hold the observations' tree: overwrite one page with garbage.
        await handle.write(Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * 5);
        await handle.close();
        return { flags: [], names: state() };
      },
    ],
    [
      '--state is not a database',
      async () => {
        await writeFile(state(), 'just some text, long enough to look like a file header'.repeat(50));
        return { flags: [], names: state() };
      },
    ],
    [
      '--state is from a newer citewatch',
      async () => {
        seedState(state());
        const db = new Database(state());
        db.pragma('user_version = 99');
        db.close();
        return { flags: [], names: state() };
      },
    ],
    [
      '--state is a folder',
      async () => {
        await mkdir(state());
        return { flags: [], names: state() };
      },
    ],
    [
      '--patch is a folder',
      async () => {
        await mkdir(join(dir, 'patched.wiki'));
        return { flags: ['--patch', join(dir, 'patched.wiki')], names: join(dir, 'patched.wiki') };
      },
    ],
    ['--now is not a calendar date', async () => ({ flags: ['--now', '2021-02-30'], names: '--now' })],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const web = await startWeb();
    const article = await writeArticle('gamma.wiki', 'Gamma', [web.live, web.gone]);
    const { flags, names } = await make();
    const outBefore = existsSync(out()) ? await readdir(out()).catch(() => []) : undefined;
    const stateBefore =
      existsSync(state()) && !flags.includes('--state') ? await sha(state()).catch(() => '') : '';

    const { code, stderr, stdout } = await cli(['check', article, ...runFlags(day(1)), ...flags]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^citewatch: /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toContain(names);
    expect(sim!.requests).toEqual([]);
    if (outBefore === undefined) expect(existsSync(out())).toBe(false);
    else if (Array.isArray(outBefore)) expect(await readdir(out()).catch(() => [])).toEqual(outBefore);
    if (stateBefore) expect(await sha(state())).toBe(stateBefore);
    expect(await temporaryFiles(dir)).toEqual([]);
  });
});

describe('a run interrupted or killed', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while reports are written removes their temporary files and ends by the signal',
    async (signal) => {
      const child = spawnScript('tests/support/write-child.ts', [dir]);
      await printed(child, 'stalled');
      expect(await temporaryFiles(dir)).toHaveLength(2);
      process.kill(child.pid!, signal);
      expect(await ended(child)).toEqual({ code: null, signal });
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('kill -9 while links are checked: no report changed, no temporary file, the state sound; the next run reports the news', async () => {
    let hung: () => void = () => {};
    const hanging = new Promise<void>((resolve) => {
      hung = resolve;
    });
    const web = await startWeb(() => hung());
    const article = await writeArticle('delta.wiki', 'Delta', [web.live, web.gone, web.hang]);
    expect((await cli(['check', article, ...runFlags(day(0))])).code).toBe(EXIT.ok);
    const before = await readFile(join(out(), 'delta.json'), 'utf8');

    web.kill();
    web.stall();
    const child = spawnScript('tests/support/cli-child.ts', ['check', article, ...runFlags(day(1))]);
    await hanging;
    process.kill(-child.pid!, 'SIGKILL');
    expect((await ended(child)).signal).toBe('SIGKILL');

    expect(await readFile(join(out(), 'delta.json'), 'utf8')).toBe(before);
    expect(await temporaryFiles(out())).toEqual([]);
    const store = openHistory(state(), { now: () => day(2) });
    try {
      expect(store.integrityCheck()).toEqual(['ok']);
      expect(store.runs().map((r) => r.finishedAt !== undefined)).toEqual([false, true]);
    } finally {
      store.close();
    }

    web.unstall();
    const next = await cli(['check', article, ...runFlags(day(2))]);
    expect(next.code).toBe(EXIT.failOn);
    expect(await newlyDead('delta')).toBe(1);
  });
});

describe('collisions', () => {
  it('two articles titled "Apple" (and one "APPLE"): every report kept, each compared with its own last state', async () => {
    const web = await startWeb();
    const first = await writeArticle('a/Apple.wiki', 'Apple', [web.live]);
    const second = await writeArticle('b/Apple.wiki', 'Apple', [web.gone]);
    const third = await writeArticle('c/APPLE.wiki', 'APPLE', [web.hang]);
    const inputs = [first, second, third];
    expect((await cli(['check', ...inputs, ...runFlags(day(0))])).code).toBe(EXIT.ok);
    // A fresh folder: in the same one, reports that only changed their run times stay as they were.
    const nextOut = join(dir, 'reports-day-1');
    const next = await cli(['check', ...inputs, ...runFlags(day(1), ['--out', nextOut])]);
    expect(next.code).toBe(EXIT.ok);
    const files = (await readdir(nextOut)).filter((f) => f.endsWith('.json') && f !== MANIFEST_FILE).sort();
    expect(files).toHaveLength(3);
    const reports = await Promise.all(
      files.map(async (f) => JSON.parse(await readFile(join(nextOut, f), 'utf8')) as Report),
    );
    expect(reports.map((r) => r.article.references[0]?.links[0]?.url).sort()).toEqual(
      [web.live, web.gone, web.hang].sort(),
    );
    // Nothing changed between the runs: no article sees another's references as added.
    for (const r of reports) {
      expect(r.changes?.previousRunAt).toBe(day(0));
      expect(r.changes?.referencesAdded).toEqual([]);
      expect(r.changes?.referencesRemoved).toEqual([]);
    }
    web.kill();
    expect((await cli(['check', ...inputs, ...runFlags(day(2))])).code).toBe(EXIT.failOn);
  });
});
