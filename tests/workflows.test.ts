/**
 * The workflow files and action.yml really parsed (YAML), with the keys that matter checked:
 * triggers, permissions, concurrency, cache keys, the action's inputs and outputs, and that
 * every output the action declares is one the CLI writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_OUTPUT_NAMES } from '../src/report/github-write.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped; the assertions check its shape.
type Yaml = Record<string, any>;
const load = (path: string): Yaml => parse(readFileSync(path, 'utf8')) as Yaml;

describe('action.yml', () => {
  const action = load('action.yml');

  it('is a JavaScript action on node24 running the committed bundle, with the documented inputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist-action/index.mjs' });
    expect(existsSync(action.runs.main)).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining([
        'command',
        'paths',
        'wiki',
        'wiki-list',
        'out',
        'args',
        'fail-on',
        'now',
        'state',
        'spn-access-key',
        'spn-secret',
      ]),
    );
    expect(action.inputs.command.default).toBe('check');
    for (const input of Object.values<Yaml>(action.inputs)) expect(typeof input.description).toBe('string');
  });

  it('declares exactly the outputs the CLI writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...ACTION_OUTPUT_NAMES].sort());
    for (const output of Object.values<Yaml>(action.outputs))
      expect(typeof output.description).toBe('string');
  });

  it('has no install step and no shell step: inputs reach the code only as INPUT_* variables', () => {
    expect(action.runs.steps).toBeUndefined();
    expect(readFileSync('action.yml', 'utf8')).not.toMatch(/npm (ci|install)/);
  });
});

describe('nightly workflow', () => {
  const wf = load('.github/workflows/nightly.yml');

  it('runs on a schedule off the hour and by hand', () => {
    const cron: string = wf.on.schedule[0].cron;
    const [minute] = cron.split(' ');
    expect(Number(minute)).toBeGreaterThan(0);
    expect(wf.on).toHaveProperty('workflow_dispatch');
  });

  it('asks for exactly the permissions it needs and never overlaps itself', () => {
    expect(wf.permissions).toEqual({ contents: 'write', issues: 'write' });
    expect(wf.concurrency.group).toBeTruthy();
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
  });

  it('keeps the state database with a unique cache key restored by prefix', () => {
    const steps = wf.jobs.check.steps as Yaml[];
    const restore = steps.find((s) => String(s.uses).startsWith('actions/cache/restore'))!;
    const save = steps.find((s) => String(s.uses).startsWith('actions/cache/save'))!;
    expect(restore.with.key).toContain('github.run_id');
    expect(restore.with['restore-keys']).toBe('citewatch-state-');
    expect(save.with.key).toBe(restore.with.key);
    expect(save.if).toBe('always()');
  });

  it('uploads the reports, commits them without empty commits, and files the issue only when something is new', () => {
    const steps = wf.jobs.check.steps as Yaml[];
    expect(steps.some((s) => String(s.uses).startsWith('actions/upload-artifact'))).toBe(true);
    const commit = steps.find((s) => String(s.run ?? '').includes('git commit'))!;
    expect(commit.run).toContain('git diff --cached --quiet');
    const issue = steps.find((s) => String(s.run ?? '').includes('file-issue.sh'))!;
    expect(issue.if).toContain('new-dead');
    expect(issue.env.GH_TOKEN).toContain('GITHUB_TOKEN');
  });
});

describe('CI workflow', () => {
  const wf = load('.github/workflows/ci.yml');
  it('tests on Node 20, 22 and 24 and smoke-runs the CLI', () => {
    expect(wf.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    const runs = (wf.jobs.test.steps as Yaml[]).map((s) => String(s.run ?? '')).join('\n');
    expect(runs).toContain('npm test');
    expect(runs).toContain('bin/citewatch.js check');
  });
});

describe('sharded nightly workflow', () => {
  const wf = load('.github/workflows/nightly-sharded.yml');

  it('runs N shard jobs with their own state, then one merge job that files the issue', () => {
    const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(shards).toEqual([1, 2, 3, 4]);
    const steps = wf.jobs.shard.steps as Yaml[];
    const check = steps.find((s) => s.uses === './')!;
    expect(check.with.args).toBe(`--shard \${{ matrix.shard }}/${shards.length}`);
    const restore = steps.find((s) => String(s.uses).startsWith('actions/cache/restore'))!;
    expect(restore.with.key).toContain('matrix.shard');
    expect(restore.with.key).toContain('github.run_id');
    expect(wf.jobs.merge.needs).toBe('shard');
    const merge = wf.jobs.merge.steps as Yaml[];
    expect(merge.some((s) => String(s.run ?? '').includes('bin/citewatch.js merge'))).toBe(true);
    // The merge keeps its own state, restored and saved around it, for the trend chart.
    const mergeRun = merge.find((s) => String(s.run ?? '').includes('bin/citewatch.js merge'))!;
    expect(String(mergeRun.run)).toContain('--state .citewatch-merged/state.sqlite');
    const cached = merge.filter((s) => String(s.uses ?? '').startsWith('actions/cache/'));
    expect(cached.map((s) => (s.with as Yaml).path)).toEqual(['.citewatch-merged', '.citewatch-merged']);
    const issue = merge.find((s) => String(s.run ?? '').includes('file-issue.sh'))!;
    expect(issue.if).toContain('steps.merge.outputs.new-dead');
  });

  it('shares the nightly permissions and concurrency group, so the two never overlap', () => {
    const nightly = load('.github/workflows/nightly.yml');
    expect(wf.permissions).toEqual({ contents: 'write', issues: 'write' });
    expect(wf.concurrency.group).toBe(nightly.concurrency.group);
  });
});
