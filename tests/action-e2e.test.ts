/**
 * The nightly action's steps, run for real: the committed bundle `dist-action/index.mjs` (what
 * `uses:` runs) with the `INPUT_*` variables spelled as the runner spells them and `GITHUB_*`
 * pointing at temporary files, then `scripts/file-issue.sh` (which decides itself whether there
 * is news) with a fake `gh` on `PATH` that keeps issues. The whole workflows, night after night,
 * are run in `workflow-nights.test.ts`. The web is the loopback simulator, reached through
 * IP-literal URLs and `--allow-network`, so the child process needs no resolver of its own.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionInputs } from './support/action-inputs.js';
import { cdxService, doiService, waybackService } from './support/services.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'dist-action', 'index.mjs');

let dir: string;
let sim: Simulator;

/** `http://127.0.x.y:port/path` for a simulated host. */
function ipUrl(s: Simulator, host: string, path: string): string {
  const u = new URL(s.url(host, path));
  u.hostname = s.addressOf(host);
  return u.href;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-action-'));
  sim = await startSimulator([
    { name: 'news.test', routes: { '/live': behaviours.ok(), '/gone': behaviours.notFound() } },
    waybackService({}),
    cdxService({}),
    doiService({}),
  ]);
  await mkdir(join(dir, 'references'));
  await mkdir(join(dir, 'bin'));
  const live = ipUrl(sim, 'news.test', '/live');
  const gone = ipUrl(sim, 'news.test', '/gone');
  await writeFile(
    join(dir, 'references', 'nightly.wiki'),
    `'''Nightly''' is a test subject.<ref>{{cite web |url=${live} |title=Live |website=News |date=2025-01-01}}</ref> A claim with a source that will die.<ref>{{cite web |url=${gone} |title=Gone |website=News |date=2025-01-01}}</ref>\n\n== References ==\n{{reflist}}\n`,
  );
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const endpoints = (): string =>
  [
    `--endpoint wayback=${ipUrl(sim, 'archive.org', '/wayback/available')}`,
    `--endpoint cdx=${ipUrl(sim, 'web.archive.org', '/cdx/search/cdx')}`,
    `--endpoint doi=${ipUrl(sim, 'doi.org', '/').replace(/\/$/, '')}`,
  ].join(' ');

interface GhState {
  issues: Array<{ number: number; body: string; comments: string[] }>;
  calls: string[][];
}
const ghState = async (): Promise<GhState> =>
  JSON.parse(await readFile(join(dir, 'gh.json'), 'utf8').catch(() => '{"issues":[],"calls":[]}')) as GhState;

interface StepResult {
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  issueFiled: boolean;
}

/** One night: the action's run step, then the workflow's issue step when its condition holds. */
async function night(n: number, now: string): Promise<StepResult> {
  const outputFile = join(dir, `output-${n}.txt`);
  const summaryFile = join(dir, `summary-${n}.md`);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env = {
    ...process.env,
    PATH: `${join(ROOT, 'tests', 'support', 'bin')}:${process.env.PATH}`,
    FAKE_GH_STATE: join(dir, 'gh.json'),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTION_PATH: ROOT,
    ...actionInputs({
      now,
      args: `--confirm 2 --confirm-span 1\n--allow-network 127.0.0.0/8 --per-host-interval 0\n${endpoints()}`,
    }),
  };
  const { stdout } = await run(process.execPath, [BUNDLE], { cwd: dir, env });
  const outputs = Object.fromEntries(
    (await readFile(outputFile, 'utf8'))
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const created = (await ghState()).issues.length;
  await run('bash', [join(ROOT, 'scripts', 'file-issue.sh'), 'reports'], { cwd: dir, env });
  const issueFiled = (await ghState()).issues.length > created;
  return { outputs, summary: await readFile(summaryFile, 'utf8'), stdout, issueFiled };
}

describe('the nightly action, end to end', () => {
  it('suspects, then confirms and files one issue; a quiet night files nothing', async () => {
    const first = await night(1, '2026-11-01T03:17:00Z');
    expect(first.outputs).toMatchObject({
      'report-dir': 'reports',
      dead: '0',
      suspect: '1',
      'new-dead': '0',
      'exit-code': '0',
    });
    expect(first.issueFiled).toBe(false);
    expect(first.summary).toContain('# citewatch summary');
    // Annotations on stdout: the suspect link, at the reference's line.
    expect(first.stdout).toMatch(
      /^::warning file=references\/nightly\.wiki,line=1,title=citewatch%3A suspect-link::/m,
    );

    const second = await night(2, '2026-11-03T03:17:00Z');
    expect(second.outputs).toMatchObject({ dead: '1', suspect: '0', 'new-dead': '1', 'exit-code': '0' });
    expect(second.issueFiled).toBe(true);
    const gh = await ghState();
    const calls = gh.calls.map((c) => c.join(' ')).join('\n');
    expect(calls).toContain('label create link-rot');
    expect(calls).toMatch(
      /issue create --title Link rot: citations need attention --label link-rot --body-file/,
    );
    const body = gh.issues[0]!.body;
    expect(body.startsWith('<!-- citewatch:link-rot -->')).toBe(true);
    expect(body).toContain('## Newly dead (not announced before)');
    expect(body).toMatch(/<http:\/\/127\.0\.\d+\.\d+:\d+\/gone>/);
    expect(second.stdout).toMatch(
      /^::error file=references\/nightly\.wiki,line=1,title=citewatch%3A dead-link::/m,
    );

    const third = await night(3, '2026-11-04T03:17:00Z');
    expect(third.outputs).toMatchObject({ dead: '1', 'new-dead': '0', 'new-unsourced': '0' });
    expect(third.issueFiled).toBe(false);
    const after = await ghState();
    expect(after.issues).toHaveLength(1);
    expect(after.issues[0]!.comments).toEqual([]);
  }, 180_000);
});

describe('the action as a step', () => {
  /** Runs the bundle once; the exit code and the files the runner would read. */
  async function step(given: Record<string, string>) {
    const outputFile = join(dir, 'step-output.txt');
    const summaryFile = join(dir, 'step-summary.md');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env = {
      ...process.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...actionInputs(given),
    };
    const done = await run(process.execPath, [BUNDLE], { cwd: dir, env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
    return {
      ...done,
      outputs: await readFile(outputFile, 'utf8'),
      summary: await readFile(summaryFile, 'utf8'),
    };
  }

  it('regression: a path that does not exist fails the step (exit 2, ::error, exit-code output)', async () => {
    const r = await step({ paths: 'references/\nreferencse/', args: '--offline' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=citewatch::paths: not found: referencse\/$/m);
    expect(r.stderr.trim().split('\n')).toEqual(['citewatch: paths: not found: referencse/']);
    expect(r.outputs).toBe('exit-code=2\n');
  });

  it('exits with the fail-on code only after writing the outputs and the summary', async () => {
    await mkdir(join(dir, 'extra'), { recursive: true });
    await writeFile(
      join(dir, 'extra', 'bare.wiki'),
      'A claim that no source supports.{{citation needed|date=May 2025}}\n',
    );
    const r = await step({
      paths: 'extra/*.wiki',
      'fail-on': 'citation-needed',
      now: '2026-11-10T03:00:00Z',
      args: `--offline --state '${join(dir, 'other state.sqlite')}'`,
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatch(/^exit-code=1$/m);
    expect(r.outputs).toMatch(/^report-dir=reports$/m);
    expect(r.summary).toContain('# citewatch summary');
  });

  it("a bad option in args is the CLI's usage error, as an annotation", async () => {
    const r = await step({ args: '--confirm "not a number"' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=citewatch::/m);
    expect(r.outputs).toBe('exit-code=2\n');
  });
});
