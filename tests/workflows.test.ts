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

  it('runs on a schedule off the hour and by hand (with an optional clock to replay a night)', () => {
    const cron: string = wf.on.schedule[0].cron;
    const [minute] = cron.split(' ');
    expect(Number(minute)).toBeGreaterThan(0);
    expect(wf.on.workflow_dispatch.inputs.now.required).toBe(false);
  });

  it('gives each job only the permissions it needs and never overlaps itself (regression: write-all)', () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.check.permissions).toEqual({ contents: 'write' });
    expect(wf.jobs.announce.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(wf.concurrency.group).toBeTruthy();
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
  });

  it('keeps the state database with a unique cache key restored by its own prefix', () => {
    const steps = wf.jobs.check.steps as Yaml[];
    const restore = steps.find((s) => String(s.uses).startsWith('actions/cache/restore'))!;
    const save = steps.find((s) => String(s.uses).startsWith('actions/cache/save'))!;
    expect(restore.with.key).toContain('github.run_id');
    expect(restore.with.key).toContain('github.run_attempt');
    expect(restore.with['restore-keys']).toBe('citewatch-nightly-state-');
    expect(save.with.key).toBe(restore.with.key);
    expect(save.if).toContain('!cancelled()');
  });

  it('runs the steps after the check whatever it found, and fails the job last (regression: fail-on new-dead skipped the issue)', () => {
    const steps = wf.jobs.check.steps as Yaml[];
    const check = steps.find((s) => s.uses === './')!;
    expect(check['continue-on-error']).toBe(true);
    const after = steps.slice(steps.indexOf(check) + 1);
    for (const step of after) expect(String(step.if)).toContain('!cancelled()');
    const last = after.at(-1)!;
    expect(last.env.CODE).toBe(`\${{ steps.citewatch.outputs.exit-code }}`);
    expect(last.run).toContain(`exit "\${CODE:-3}"`);
    const commit = steps.find((s) => String(s.run ?? '').includes('commit-reports.sh'))!;
    expect(commit.if).toContain("steps.citewatch.outputs.exit-code == '1'");
    expect(wf.jobs.announce.if).toContain('!cancelled()');
    const issue = (wf.jobs.announce.steps as Yaml[]).find((s) =>
      String(s.run ?? '').includes('file-issue.sh'),
    )!;
    expect(issue.env.GH_TOKEN).toContain('GITHUB_TOKEN');
  });
});

describe('cache keys of the workflow variants', () => {
  const expand = (text: string, shard: number): string =>
    text
      .replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard))
      .replace(/\$\{\{\s*github\.run_id\s*\}\}/g, '123')
      .replace(/\$\{\{\s*github\.run_attempt\s*\}\}/g, '1');
  /** Every cache a variant keeps: its saved keys and its restore prefixes. */
  const variants = (): Array<{ variant: string; keys: string[]; prefixes: string[] }> => {
    const out: Array<{ variant: string; keys: string[]; prefixes: string[] }> = [];
    for (const file of ['nightly.yml', 'nightly-sharded.yml']) {
      const wf = load(`.github/workflows/${file}`);
      for (const [name, job] of Object.entries<Yaml>(wf.jobs)) {
        const shards: number[] = job.strategy?.matrix?.shard ?? [0];
        for (const shard of shards) {
          const steps = (job.steps ?? []) as Yaml[];
          const keys = steps
            .filter((s) => String(s.uses ?? '').startsWith('actions/cache/'))
            .map((s) => expand(String(s.with.key), shard));
          const prefixes = steps
            .filter((s) => s.with?.['restore-keys'])
            .flatMap((s) => String(s.with['restore-keys']).split('\n').filter(Boolean))
            .map((p) => expand(p, shard));
          if (keys.length > 0) out.push({ variant: `${file} ${name} ${shard}`, keys, prefixes });
        }
      }
    }
    return out;
  };

  it("no variant restores another one's cache (regression: the nightly restored a shard's history)", () => {
    const all = variants();
    expect(all.map((v) => v.variant)).toHaveLength(1 + 4 + 1);
    for (const v of all)
      for (const other of all) {
        if (other === v) continue;
        for (const prefix of v.prefixes)
          for (const key of other.keys)
            expect(key.startsWith(prefix), `${v.variant} would restore ${key}`).toBe(false);
      }
    // The old keys, for the record: `citewatch-state-` was a prefix of `citewatch-state-shard-1-of-4-…`.
    expect('citewatch-state-shard-1-of-4-123'.startsWith('citewatch-state-')).toBe(true);
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

  it('gives every shard one clock, then merges, commits and files the issue in their own jobs', () => {
    expect(wf.jobs.clock.outputs.now).toBe(`\${{ steps.clock.outputs.now }}`);
    const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(wf.jobs.shard.needs).toBe('clock');
    const steps = wf.jobs.shard.steps as Yaml[];
    const check = steps.find((s) => s.uses === './')!;
    expect(check.with.args).toContain(
      `--shard \${{ matrix.shard }}/${shards.length} --now \${{ needs.clock.outputs.now }}`,
    );
    const restore = steps.find((s) => String(s.uses).startsWith('actions/cache/restore'))!;
    expect(restore.with.key).toContain('matrix.shard');
    expect(restore.with.key).toContain('github.run_id');
    expect(wf.jobs.merge.needs).toBe('shard');
    const merge = wf.jobs.merge.steps as Yaml[];
    const mergeRun = merge.find((s) => String(s.run ?? '').includes('bin/citewatch.js merge'))!;
    expect(String(mergeRun.run)).toContain('--state .citewatch-merged/state.sqlite');
    const cached = merge.filter((s) => String(s.uses ?? '').startsWith('actions/cache/'));
    expect(cached.map((s) => (s.with as Yaml).path)).toEqual(['.citewatch-merged', '.citewatch-merged']);
    expect(merge.some((s) => String(s.run ?? '').includes('commit-reports.sh'))).toBe(true);
    expect(wf.jobs.announce.needs).toBe('merge');
    const announce = wf.jobs.announce.steps as Yaml[];
    expect(announce.some((s) => String(s.run ?? '').includes('file-issue.sh reports'))).toBe(true);
  });

  it('gives each job only the permissions it needs (regression: shards could write)', () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.clock.permissions).toEqual({});
    expect(wf.jobs.shard.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.merge.permissions).toEqual({ contents: 'write' });
    expect(wf.jobs.announce.permissions).toEqual({ contents: 'read', issues: 'write' });
  });

  it('shares the nightly concurrency group, so the two never overlap', () => {
    const nightly = load('.github/workflows/nightly.yml');
    expect(wf.concurrency.group).toBe(nightly.concurrency.group);
  });
});
