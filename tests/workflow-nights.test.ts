/**
 * The real workflow files, run night after night by the local runner (`support/workflow-runner`):
 * every `run:` step in bash, `uses: ./` from `action.yml`, emulated checkout, cache, artifacts,
 * a fake `gh` that keeps issues, and a local bare git remote. The web is the loopback
 * simulator (IP-literal URLs, so the CLI child processes need no resolver); the repository's
 * `citewatch.json` points citewatch at it. Uses `dist/` (built by `npm test` before vitest).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cdxService, doiService, waybackService } from './support/services.js';
import { behaviours, type Route, type Simulator, startSimulator } from './support/simulator.js';
import { runWorkflow, type WorkflowRun } from './support/workflow-runner.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'tests', 'support', 'bin');

let dir: string;
let sim: Simulator;
/** Paths that answer 200 now (the others 404), per simulated host. */
const alive = new Set<string>();
const HOSTS = ['news.test', 'papers.test', 'blog.test', 'archive.test', 'gov.test'];

function ipUrl(host: string, path: string): string {
  const u = new URL(sim.url(host, path));
  u.hostname = sim.addressOf(host);
  return u.href;
}

const switchable: Route = async (req, res, ctx) => {
  const key = `${ctx.host}${new URL(req.url ?? '/', 'http://x').pathname}`;
  await (alive.has(key) ? behaviours.ok() : behaviours.notFound())(req, res, ctx);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'citewatch-nights-'));
  sim = await startSimulator([
    ...HOSTS.map((name) => ({ name, fallback: switchable })),
    waybackService({}),
    cdxService({}),
    doiService({}),
  ]);
});

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Editor',
      GIT_AUTHOR_EMAIL: 'editor@example.test',
      GIT_COMMITTER_NAME: 'Editor',
      GIT_COMMITTER_EMAIL: 'editor@example.test',
    },
  });

function article(title: string, paths: ReadonlyArray<[string, string]>): string {
  const refs = paths
    .map(
      ([host, path], i) =>
        `Claim ${i}.<ref>{{cite web |url=${ipUrl(host, path)} |title=Source ${i} |website=Site |date=2025-01-0${(i % 9) + 1}}}</ref>`,
    )
    .join(' ');
  return `'''${title}''' is a subject. ${refs}\n\n== References ==\n{{reflist}}\n`;
}

/** A repository like a user's: the action (this project), the workflows, two articles. */
function makeRepository(name: string): { remote: string; clone: string } {
  const seed = join(dir, `${name}-seed`);
  mkdirSync(seed, { recursive: true });
  for (const path of ['action.yml', 'package.json', 'scripts', 'bin', '.github'])
    cpSync(join(ROOT, path), join(seed, path), { recursive: true });
  // A Node action's bundle, when action.yml is one.
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; main?: string };
  };
  if (action.runs.using.startsWith('node') && action.runs.main) {
    const top = action.runs.main.split('/')[0]!;
    if (existsSync(join(ROOT, top))) cpSync(join(ROOT, top), join(seed, top), { recursive: true });
  }
  mkdirSync(join(seed, 'references'));
  writeFileSync(
    join(seed, 'references', 'first.wiki'),
    article('First', [
      ['news.test', '/live'],
      ['papers.test', '/gone'],
    ]),
  );
  writeFileSync(
    join(seed, 'references', 'second.wiki'),
    article('Second', [
      ['archive.test', '/live'],
      ['gov.test', '/live'],
    ]),
  );
  writeFileSync(
    join(seed, 'citewatch.json'),
    `${JSON.stringify(
      {
        allowNetwork: ['127.0.0.0/8'],
        perHostInterval: 0,
        confirm: 2,
        confirmInterval: 1,
        failOn: ['new-dead'],
        endpoint: {
          wayback: ipUrl('archive.org', '/wayback/available'),
          cdx: ipUrl('web.archive.org', '/cdx/search/cdx'),
          doi: ipUrl('doi.org', '/').replace(/\/$/, ''),
        },
      },
      null,
      2,
    )}\n`,
  );
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'Initial');
  const remote = join(dir, `${name}.git`);
  git(dir, 'clone', '-q', '--bare', seed, remote);
  const clone = join(dir, `${name}-editor`);
  git(dir, 'clone', '-q', remote, clone);
  return { remote, clone };
}

/** What the fake `gh` keeps. */
interface GhState {
  issues: Array<{ number: number; title: string; body: string; labels: string[]; comments: string[] }>;
  calls: string[][];
}
const ghState = (file: string): GhState =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GhState) : { issues: [], calls: [] };

/** An editor pushes to `main` (the remote moves under a running job). */
function editorPushes(clone: string, file: string, text: string): void {
  git(clone, 'pull', '-q', '--rebase');
  writeFileSync(join(clone, file), text);
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', `Edit ${file}`);
  git(clone, 'push', '-q');
}

const stepLog = (run: WorkflowRun, name: string): string =>
  run.steps
    .filter((s) => s.name === name)
    .map((s) => s.log)
    .join('\n');

const CACHE = (): string => join(dir, 'actions-cache');

function night(
  workflow: string,
  remote: string,
  runId: number,
  now: string,
  gh: string,
  extra: { env?: Record<string, string>; beforeStep?: Parameters<typeof runWorkflow>[0]['beforeStep'] } = {},
): Promise<WorkflowRun> {
  return runWorkflow({
    workflow,
    remote,
    cacheDir: CACHE(),
    runDir: join(dir, 'runs', `${runId}`),
    runId,
    inputs: { now },
    env: {
      PATH: `${BIN}:${process.env.PATH}`,
      FAKE_GH_STATE: gh,
      FAKE_NPM_ROOT: ROOT,
      COMMIT_RETRY_DELAY: '0',
      ...extra.env,
    },
    ...(extra.beforeStep && { beforeStep: extra.beforeStep }),
  });
}

const failing = (run: WorkflowRun): string =>
  run.steps
    .filter((s) => s.outcome === 'failure')
    .map((s) => `--- ${s.job}: ${s.name}\n${s.log.slice(-3000)}`)
    .join('\n');

describe('nightly.yml over five nights', () => {
  it('announces every dead link once, even after a night whose push and issue step failed, and commits only real changes', async () => {
    alive.clear();
    for (const k of ['news.test/live', 'archive.test/live', 'gov.test/live']) alive.add(k);
    const { remote, clone } = makeRepository('nightly');
    const gh = join(dir, 'gh-nightly.json');
    // An issue a person wrote under the same label: never citewatch's to edit.
    writeFileSync(
      gh,
      JSON.stringify({
        issues: [
          {
            number: 1,
            title: 'Please check the sources of Second',
            body: 'I think some links in Second are wrong.',
            labels: ['link-rot'],
            state: 'open',
            comments: [],
          },
        ],
        labels: ['link-rot'],
        calls: [],
      }),
    );
    const wf = '.github/workflows/nightly.yml';
    const head = () => git(remote, 'rev-parse', 'main').trim();

    // Night 1: papers.test/gone fails for the first time: suspect, nothing to announce.
    const n1 = await night(wf, remote, 101, '2026-11-01T03:17:00Z', gh);
    expect(n1.result, failing(n1)).toBe('success');
    expect(stepLog(n1, 'Restore the history database')).toContain('Cache not found');
    expect(git(remote, 'ls-tree', '--name-only', 'main', 'reports/')).toContain('reports/first.json');
    expect(ghState(gh).issues).toHaveLength(1);
    expect(stepLog(n1, 'Open or update the link-rot issue')).toContain('nothing new to announce');

    // Night 2: it is confirmed dead (fail-on new-dead: exit 1), and a source an editor cited
    // since (blog.test/later) fails; another edit is pushed while the job runs, and GitHub's
    // issue API is down.
    editorPushes(
      clone,
      'references/first.wiki',
      article('First', [
        ['news.test', '/live'],
        ['papers.test', '/gone'],
        ['blog.test', '/later'],
      ]),
    );
    const n2 = await night(wf, remote, 102, '2026-11-03T03:17:00Z', gh, {
      env: { FAKE_GH_DOWN: '1' },
      beforeStep: ({ step }) => {
        if (step === 'Commit changed reports')
          editorPushes(clone, 'NOTES.md', 'An edit made during the night.\n');
      },
    });
    expect(n2.result).toBe('failure');
    const check2 = n2.jobs.find((j) => j.name === 'check')!;
    expect(check2.outputs['exit-code']).toBe('1');
    // Steps after the check ran although fail-on was met; the job failed last, with its code.
    const commit2 = n2.steps.find((s) => s.name === 'Commit changed reports')!;
    expect(commit2.outcome, commit2.log).toBe('success');
    expect(commit2.log).toContain('push rejected (attempt 1 of 5)');
    expect(n2.steps.find((s) => s.name === 'Save the history database')!.outcome).toBe('success');
    expect(n2.steps.at(-1)!.job).toBe('announce');
    expect(check2.steps.at(-1)!.outcome).toBe('failure');
    // The editor's commit and the reports are both on main.
    expect(git(remote, 'log', '--format=%s', 'main').split('\n').slice(0, 2)).toEqual([
      'Nightly citation report',
      'Edit NOTES.md',
    ]);
    expect(JSON.parse(git(remote, 'show', 'main:reports/first.json')).summary.links.dead).toBe(1);
    // The announcement failed: no issue of citewatch's yet.
    expect(n2.jobs.find((j) => j.name === 'announce')!.result).toBe('failure');
    expect(ghState(gh).issues).toHaveLength(1);

    // Night 3: blog.test/later is confirmed too; the issue carries both, last night's included.
    const n3 = await night(wf, remote, 103, '2026-11-05T03:17:00Z', gh);
    expect(n3.jobs.find((j) => j.name === 'announce')!.result, failing(n3)).toBe('success');
    const state3 = ghState(gh);
    expect(state3.issues).toHaveLength(2);
    const ours = state3.issues[1]!;
    expect(ours.body.startsWith('<!-- citewatch:link-rot -->')).toBe(true);
    const newly = ours.body.slice(ours.body.indexOf('## Newly dead'), ours.body.indexOf('## All dead links'));
    expect(newly).toContain(`${ipUrl('papers.test', '/gone')}`);
    expect(newly).toContain(`${ipUrl('blog.test', '/later')}`);
    // The person's issue is untouched.
    expect(state3.issues[0]!.body).toBe('I think some links in Second are wrong.');
    expect(state3.calls.some((c) => c[0] === 'issue' && c[1] === 'edit' && c[2] === '1')).toBe(false);

    // Night 4: nothing new: no announcement again (the issue's body is refreshed silently).
    const n4 = await night(wf, remote, 104, '2026-11-06T03:17:00Z', gh);
    expect(n4.result, failing(n4)).toBe('success');
    const state4 = ghState(gh);
    expect(state4.issues).toHaveLength(2);
    expect(state4.issues[1]!.comments).toEqual([]);
    expect(state4.issues[1]!.body).not.toContain('## Newly dead');
    expect(state4.issues[1]!.body).toContain('## All dead links (2)');

    // Night 5: the same again: the reports did not really change, so nothing is committed.
    const before = head();
    const n5 = await night(wf, remote, 105, '2026-11-07T03:17:00Z', gh);
    expect(n5.result, failing(n5)).toBe('success');
    expect(stepLog(n5, 'Commit changed reports')).toContain('reports unchanged');
    expect(head()).toBe(before);
    expect(stepLog(n5, 'Restore the history database')).toContain(
      'Cache restored from key: citewatch-nightly-state-104-1',
    );
  }, 300_000);
});

describe('nightly-sharded.yml over three nights', () => {
  it("merges shards of one clock, announces the dead link, removes the reports of a renamed article, and never restores another variant's cache", async () => {
    alive.clear();
    for (const k of ['news.test/live', 'blog.test/later', 'archive.test/live', 'gov.test/live']) alive.add(k);
    const { remote, clone } = makeRepository('sharded');
    const gh = join(dir, 'gh-sharded.json');
    const wf = '.github/workflows/nightly-sharded.yml';

    const n1 = await night(wf, remote, 201, '2026-11-01T03:17:00Z', gh);
    expect(n1.result, failing(n1)).toBe('success');
    expect(n1.jobs.filter((j) => j.name === 'shard')).toHaveLength(4);
    // The nightly variant's caches (from the test above) are not this variant's.
    for (const log of n1.steps.filter((s) => s.name === "Restore this shard's history database"))
      expect(log.log).toContain('Cache not found');
    const merged1 = JSON.parse(git(remote, 'show', 'main:reports/first.json'));
    expect(merged1.run.now).toBe('2026-11-01T03:17:00.000Z');
    expect(merged1.summary.links.suspect).toBe(1);

    const n2 = await night(wf, remote, 202, '2026-11-03T03:17:00Z', gh);
    expect(n2.jobs.find((j) => j.name === 'announce')!.result, failing(n2)).toBe('success');
    expect(n2.jobs.find((j) => j.name === 'merge')!.result, failing(n2)).toBe('success');
    expect(JSON.parse(git(remote, 'show', 'main:reports/first.json')).summary.links.dead).toBe(1);
    const issue = ghState(gh).issues[0]!;
    expect(issue.body).toContain(ipUrl('papers.test', '/gone'));
    for (const log of n2.steps.filter((s) => s.name === "Restore this shard's history database"))
      expect(log.log).toMatch(/Cache restored from key: citewatch-sharded-state-shard-(\d)-of-4-201-1/);

    // An editor renames an article: its old reports go, the new ones come.
    git(clone, 'pull', '-q', '--rebase');
    git(clone, 'mv', 'references/second.wiki', 'references/renamed.wiki');
    writeFileSync(
      join(clone, 'references', 'renamed.wiki'),
      readFileSync(join(clone, 'references', 'renamed.wiki'), 'utf8').replace(
        "'''Second'''",
        "'''Renamed'''",
      ),
    );
    git(clone, 'commit', '-q', '-am', 'Rename Second');
    git(clone, 'push', '-q');
    const n3 = await night(wf, remote, 203, '2026-11-04T03:17:00Z', gh);
    expect(n3.jobs.find((j) => j.name === 'announce')!.result, failing(n3)).toBe('success');
    const files = git(remote, 'ls-tree', '--name-only', 'main', 'reports/');
    expect(files).toContain('reports/renamed.json');
    expect(files).not.toContain('reports/second.json');
    expect(files).not.toContain('reports/second.md');
    // Announced once: night 3 adds no comment and no second issue.
    const state = ghState(gh);
    expect(state.issues).toHaveLength(1);
    expect(state.issues[0]!.comments).toEqual([]);
  }, 300_000);
});

describe('the workflow runner', () => {
  it('runs a Node action (`uses: ./` with runs.using node*) with INPUT_* variables and the runner files', async () => {
    const seed = join(dir, 'node-action-seed');
    mkdirSync(join(seed, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(seed, 'action.yml'),
      `name: t\ninputs:\n  fail-on:\n    default: ''\n  args:\n    default: 'none'\noutputs:\n  echoed:\n    description: x\nruns:\n  using: node24\n  main: dist-action/index.mjs\n`,
    );
    mkdirSync(join(seed, 'dist-action'));
    writeFileSync(
      join(seed, 'dist-action', 'index.mjs'),
      `import { appendFileSync } from 'node:fs';\nconst e = process.env;\nappendFileSync(e.GITHUB_OUTPUT, 'echoed=' + JSON.stringify([e['INPUT_FAIL-ON'], e.INPUT_ARGS, e.GITHUB_ACTION_PATH === e.GITHUB_WORKSPACE, !!e.RUNNER_TEMP]) + '\\n');\nappendFileSync(e.GITHUB_STEP_SUMMARY, '# hello\\n');\nprocess.exitCode = e['INPUT_FAIL-ON'] === 'x' ? 1 : 0;\n`,
    );
    writeFileSync(
      join(seed, '.github', 'workflows', 't.yml'),
      `on: workflow_dispatch\njobs:\n  one:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - id: a\n        continue-on-error: true\n        uses: ./\n        with:\n          fail-on: \${{ inputs.now }}\n      - if: \${{ !cancelled() && steps.a.outcome == 'failure' }}\n        env:\n          OUT: \${{ steps.a.outputs.echoed }}\n        run: echo "got=$OUT" >> "$GITHUB_OUTPUT"\n`,
    );
    git(seed, 'init', '-q', '-b', 'main');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'x');
    const remote = join(dir, 'node-action.git');
    git(dir, 'clone', '-q', '--bare', seed, remote);
    const run = await runWorkflow({
      workflow: '.github/workflows/t.yml',
      remote,
      cacheDir: join(dir, 'node-action-cache'),
      runDir: join(dir, 'node-action-run'),
      runId: 1,
      inputs: { now: 'x' },
    });
    expect(run.result, failing(run)).toBe('success');
    expect(run.steps[1]!.outcome).toBe('failure');
    expect(run.steps[2]!.outputs.got).toBe('["x","none",true,true]');
    expect(run.jobs[0]!.summary).toBe('# hello\n');
  });
});
