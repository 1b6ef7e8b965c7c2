/**
 * Runs a real GitHub Actions workflow file locally, its steps as they are written: every `run:`
 * step in bash (`bash --noprofile --norc -eo pipefail`, as GitHub runs it) with the runner's
 * files (`GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_STEP_SUMMARY`) and variables;
 * `uses: ./` read from the checked-out `action.yml` (composite: its steps; `node*`: `node
 * <main>` with `INPUT_*`); and emulations of the actions the workflows use:
 *
 * - `actions/checkout`: a shallow clone of a local bare repository (the "remote"), on its branch;
 * - `actions/setup-node`: nothing (this Node is the runner's);
 * - `actions/cache/restore` / `save`: a folder of entries kept across runs; restore takes the
 *   exact key, else for each restore key in turn the newest entry whose key starts with it
 *   (GitHub's prefix rule); a key is saved once, never overwritten;
 * - `actions/upload-artifact` / `download-artifact` (v4): per run, by name or pattern; a name is
 *   uploaded once.
 *
 * Jobs run in `needs` order, matrix instances one after another; job and step `if:` and
 * `continue-on-error` are honoured, with `success()`, `failure()`, `always()`, `cancelled()`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { condition, interpolate, type Scope, type Value } from './workflow-expressions.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped.
type Yaml = Record<string, any>;

export interface WorkflowRunOptions {
  /** The workflow file, relative to the repository root. */
  workflow: string;
  /** A bare git repository: what `actions/checkout` clones and the jobs push to. */
  remote: string;
  /** @default 'main' */
  branch?: string;
  /** Kept across runs: the Actions cache. */
  cacheDir: string;
  /** Scratch space for this run (workspaces, artifacts, runner files). */
  runDir: string;
  runId: number;
  /** @default 1 */
  runAttempt?: number;
  /** @default 'workflow_dispatch' */
  event?: string;
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Added to every step's environment (PATH of fake tools, for one). */
  env?: Record<string, string>;
  /** Called before each step runs (e.g. to move the remote under a job). */
  beforeStep?: (info: { job: string; step: string; workspace: string }) => void;
}

export interface StepRecord {
  job: string;
  name: string;
  id?: string;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  log: string;
  /** Wall time the step took (for finding slow steps, never asserted). */
  ms: number;
}

export interface JobRecord {
  name: string;
  matrix?: Record<string, Value>;
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  steps: StepRecord[];
  summary: string;
  workspace: string;
}

export interface WorkflowRun {
  result: 'success' | 'failure';
  jobs: JobRecord[];
  /** The steps of every job, in the order they ran. */
  steps: StepRecord[];
  artifactsDir: string;
}

/** Key → folder of the saved paths; a JSON index keeps their order of creation. */
class CacheStore {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }
  #index(): string[] {
    const file = join(this.#dir, 'index.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [];
  }
  keys(): string[] {
    return this.#index();
  }
  #folder(key: string): string {
    return join(this.#dir, createHash('sha256').update(key).digest('hex').slice(0, 16));
  }
  /** GitHub's lookup: the exact key, else the newest entry matching each restore key's prefix. */
  find(
    key: string,
    restoreKeys: readonly string[],
  ): { key: string; folder: string; exact: boolean } | undefined {
    const keys = this.#index();
    if (keys.includes(key)) return { key, folder: this.#folder(key), exact: true };
    for (const prefix of restoreKeys) {
      const match = [...keys].reverse().find((k) => k.startsWith(prefix));
      if (match) return { key: match, folder: this.#folder(match), exact: false };
    }
    return undefined;
  }
  save(key: string, fill: (folder: string) => void): boolean {
    const keys = this.#index();
    if (keys.includes(key)) return false;
    const folder = this.#folder(key);
    mkdirSync(folder, { recursive: true });
    fill(folder);
    writeFileSync(join(this.#dir, 'index.json'), JSON.stringify([...keys, key]));
    return true;
  }
}

const lines = (v: unknown): string[] =>
  String(v ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** `name=value` and `name<<DELIM … DELIM` lines of a runner file. */
function readKeyValues(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  const text = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < text.length; i++) {
    const line = text[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      i++;
      while (i < text.length && text[i] !== heredoc[2]) value.push(text[i++]!);
      out[heredoc[1]!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Files under `root` matching a glob of `*` (no `/`) and `**` segments. */
function globFiles(root: string, pattern: string): string[] {
  const clean = pattern.replace(/\/+$/, '');
  const full = resolve(root, clean);
  if (!/[*?]/.test(clean)) {
    if (!existsSync(full)) return [];
    return statSync(full).isDirectory() ? walk(full) : [full];
  }
  const re = new RegExp(
    `^${resolve(root)
      .concat('/', clean)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  const base = resolve(
    root,
    clean
      .split('/')
      .filter((s) => !/[*?]/.test(s))
      .join('/')
      .split(/[*?]/)[0] ?? '.',
  );
  const start = existsSync(base) && statSync(base).isDirectory() ? base : resolve(root);
  return walk(start).filter((f) => re.test(f));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const git = (cwd: string, args: string[]): string => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** The `strategy.matrix` instances of a job (the product of its list-valued keys). */
function matrixOf(job: Yaml): Array<Record<string, Value> | undefined> {
  const matrix = job.strategy?.matrix as Yaml | undefined;
  if (!matrix) return [undefined];
  let combos: Array<Record<string, Value>> = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') continue;
    combos = combos.flatMap((c) => (values as Value[]).map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRun> {
  const branch = options.branch ?? 'main';
  const cache = new CacheStore(options.cacheDir);
  const artifactsDir = join(options.runDir, 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  // The workflow as it is on the branch when the run starts.
  const peek = join(options.runDir, 'workflow-source');
  rmSync(peek, { recursive: true, force: true });
  git(options.runDir, ['clone', '-q', '--depth', '1', '--branch', branch, `file://${options.remote}`, peek]);
  const workflow = parse(readFileSync(join(peek, options.workflow), 'utf8')) as Yaml;
  const jobs = workflow.jobs as Record<string, Yaml>;

  const github: Record<string, Value> = {
    run_id: String(options.runId),
    run_attempt: String(options.runAttempt ?? 1),
    run_number: String(options.runId),
    ref: `refs/heads/${branch}`,
    ref_name: branch,
    repository: 'owner/repo',
    server_url: 'https://github.example',
    event_name: options.event ?? 'workflow_dispatch',
    token: 'fake-token',
    workflow: String(workflow.name ?? ''),
  };
  const secrets: Record<string, Value> = { GITHUB_TOKEN: 'fake-token', ...(options.secrets ?? {}) };
  const records: JobRecord[] = [];
  const results = new Map<string, { result: JobRecord['result']; outputs: Record<string, string> }>();
  const done = new Set<string>();
  const order: string[] = [];
  const needsOf = (name: string): string[] => {
    const n = jobs[name]!.needs;
    return n === undefined ? [] : Array.isArray(n) ? n : [n];
  };
  while (order.length < Object.keys(jobs).length) {
    const ready = Object.keys(jobs).find((j) => !done.has(j) && needsOf(j).every((n) => done.has(n)));
    if (!ready) throw new Error('cycle in needs');
    order.push(ready);
    done.add(ready);
  }

  for (const name of order) {
    const job = jobs[name]!;
    const needs: Record<string, Value> = Object.fromEntries(
      needsOf(name).map((n) => [n, { result: results.get(n)!.result, outputs: results.get(n)!.outputs }]),
    );
    const instances: JobRecord[] = [];
    for (const matrix of matrixOf(job)) {
      const record: JobRecord = {
        name,
        ...(matrix && { matrix }),
        result: 'success',
        outputs: {},
        steps: [],
        summary: '',
        workspace: '',
      };
      const needsOk = needsOf(name).every((n) => results.get(n)!.result === 'success');
      const jobScope: Scope = {
        contexts: { github, needs, secrets, matrix: matrix ?? {}, inputs: options.inputs ?? {}, env: {} },
        functions: statusFunctions(() => (needsOk ? 'success' : 'failure')),
      };
      if (!condition(job.if, jobScope)) {
        record.result = 'skipped';
        instances.push(record);
        continue;
      }
      await runJob(record, job, { ...options, branch, cache, artifactsDir, github, needs, secrets, matrix });
      instances.push(record);
    }
    records.push(...instances);
    const result = instances.some((i) => i.result === 'failure')
      ? 'failure'
      : instances.every((i) => i.result === 'skipped')
        ? 'skipped'
        : 'success';
    results.set(name, { result, outputs: Object.assign({}, ...instances.map((i) => i.outputs)) });
  }
  return {
    result: records.some((r) => r.result === 'failure') ? 'failure' : 'success',
    jobs: records,
    steps: records.flatMap((r) => r.steps),
    artifactsDir,
  };
}

function statusFunctions(status: () => 'success' | 'failure'): Scope['functions'] {
  return {
    success: () => status() === 'success',
    failure: () => status() === 'failure',
    always: () => true,
    cancelled: () => false,
  };
}

interface JobContext extends Omit<WorkflowRunOptions, 'secrets'> {
  branch: string;
  cache: CacheStore;
  artifactsDir: string;
  github: Record<string, Value>;
  needs: Record<string, Value>;
  secrets: Record<string, Value>;
  matrix: Record<string, Value> | undefined;
}

async function runJob(record: JobRecord, job: Yaml, ctx: JobContext): Promise<void> {
  const slug = `${record.name}${record.matrix ? `-${Object.values(record.matrix).join('-')}` : ''}`;
  const home = join(ctx.runDir, 'jobs', slug);
  rmSync(home, { recursive: true, force: true });
  const workspace = join(home, 'work');
  const temp = join(home, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  record.workspace = workspace;
  const steps: Record<string, Value> = {};
  let failed = false;
  const jobEnv: Record<string, string> = {};
  const extraPath: string[] = [];
  const hashFiles = (...patterns: Value[]): Value => {
    const files = patterns.flatMap((p) => globFiles(workspace, String(p))).sort();
    if (files.length === 0) return '';
    const h = createHash('sha256');
    for (const f of files) h.update(createHash('sha256').update(readFileSync(f)).digest());
    return h.digest('hex');
  };
  const scope = (): Scope => ({
    contexts: {
      github: { ...ctx.github, workspace },
      needs: ctx.needs,
      secrets: ctx.secrets,
      matrix: ctx.matrix ?? {},
      inputs: ctx.inputs ?? {},
      steps,
      env: { ...jobEnv },
      runner: { temp, os: 'Linux' },
    },
    functions: { ...statusFunctions(() => (failed ? 'failure' : 'success')), hashfiles: hashFiles },
  });
  const baseEnv = (): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    ...(ctx.env ?? {}),
    ...jobEnv,
    PATH: [...extraPath, ctx.env?.PATH ?? process.env.PATH ?? ''].join(':'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: String(ctx.github.run_id),
    GITHUB_RUN_ATTEMPT: String(ctx.github.run_attempt),
    GITHUB_REF: String(ctx.github.ref),
    GITHUB_REF_NAME: ctx.branch,
    GITHUB_REPOSITORY: String(ctx.github.repository),
    GITHUB_SERVER_URL: String(ctx.github.server_url),
    GITHUB_EVENT_NAME: String(ctx.github.event_name),
    RUNNER_TEMP: temp,
  });

  for (const [index, step] of (job.steps as Yaml[]).entries()) {
    const name = String(step.name ?? step.uses ?? step.run ?? `step ${index + 1}`).split('\n')[0]!;
    const rec: StepRecord = {
      job: record.name,
      name,
      ...(step.id && { id: String(step.id) }),
      outcome: 'skipped',
      conclusion: 'skipped',
      outputs: {},
      log: '',
      ms: 0,
    };
    record.steps.push(rec);
    if (!condition(step.if, scope())) {
      if (step.id) steps[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      continue;
    }
    ctx.beforeStep?.({ job: record.name, step: name, workspace });
    const files = {
      output: join(temp, `output-${index}`),
      env: join(temp, `env-${index}`),
      path: join(temp, `path-${index}`),
      summary: join(temp, `summary-${index}`),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const stepEnv: Record<string, string> = {
      ...baseEnv(),
      ...Object.fromEntries(
        Object.entries((step.env ?? {}) as Yaml).map(([k, v]) => [k, interpolate(String(v), scope())]),
      ),
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
    };
    let ok: boolean;
    const started = Date.now();
    try {
      if (step.run !== undefined) {
        const script = interpolate(String(step.run), scope());
        const cwd = step['working-directory']
          ? resolve(workspace, interpolate(step['working-directory'], scope()))
          : workspace;
        ok = await runBash(script, cwd, stepEnv, temp, rec);
      } else {
        const withs = Object.fromEntries(
          Object.entries((step.with ?? {}) as Yaml).map(([k, v]) => [k, interpolate(String(v), scope())]),
        );
        ok = await runUses(String(step.uses), withs, { ...ctx, workspace, temp, env: stepEnv, rec, files });
      }
    } catch (error) {
      rec.log += `\n${(error as Error).stack ?? String(error)}`;
      ok = false;
    }
    rec.ms = Date.now() - started;
    rec.outputs = { ...readKeyValues(files.output), ...rec.outputs };
    Object.assign(jobEnv, readKeyValues(files.env));
    extraPath.unshift(...lines(readFileSync(files.path, 'utf8')).reverse());
    record.summary += readFileSync(files.summary, 'utf8');
    rec.outcome = ok ? 'success' : 'failure';
    const continueOnError = step['continue-on-error'] === true || step['continue-on-error'] === 'true';
    rec.conclusion = ok || continueOnError ? 'success' : 'failure';
    if (rec.conclusion === 'failure') failed = true;
    if (step.id) steps[step.id] = { outcome: rec.outcome, conclusion: rec.conclusion, outputs: rec.outputs };
  }
  record.result = failed ? 'failure' : 'success';
  record.outputs = Object.fromEntries(
    Object.entries((job.outputs ?? {}) as Yaml).map(([k, v]) => [k, interpolate(String(v), scope())]),
  );
}

/**
 * A child process, awaited without blocking this process's event loop (the web simulator the
 * child talks to lives in this process).
 */
function exec(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
  rec: StepRecord,
): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      rec.log += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      rec.log += d;
    });
    child.on('error', (error) => {
      rec.log += String(error);
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  temp: string,
  rec: StepRecord,
): Promise<boolean> {
  const file = join(temp, `script-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env }, rec);
}

interface UsesContext extends JobContext {
  workspace: string;
  temp: string;
  env: Record<string, string>;
  rec: StepRecord;
  files: { output: string; summary: string };
}

async function runUses(uses: string, withs: Record<string, string>, ctx: UsesContext): Promise<boolean> {
  const [action] = uses.split('@');
  const { workspace, rec } = ctx;
  switch (action) {
    case 'actions/checkout': {
      rmSync(workspace, { recursive: true, force: true });
      git(dirname(workspace), [
        'clone',
        '-q',
        '--depth',
        '1',
        '--branch',
        ctx.branch,
        `file://${ctx.remote}`,
        workspace,
      ]);
      return true;
    }
    case 'actions/setup-node':
      return true;
    case 'actions/cache/restore': {
      const found = ctx.cache.find(withs.key!, lines(withs['restore-keys']));
      const out = {
        'cache-hit': found?.exact ? 'true' : 'false',
        'cache-matched-key': found?.key ?? '',
        'cache-primary-key': withs.key!,
      };
      rec.outputs = out;
      if (!found) {
        rec.log += `Cache not found for input keys: ${withs.key}\n`;
        return true;
      }
      for (const path of lines(withs.path)) {
        const saved = join(found.folder, encodeURIComponent(path));
        if (existsSync(saved)) cpSync(saved, resolve(workspace, path), { recursive: true });
      }
      rec.log += `Cache restored from key: ${found.key}\n`;
      return true;
    }
    case 'actions/cache/save': {
      const saved = ctx.cache.save(withs.key!, (folder) => {
        for (const path of lines(withs.path)) {
          const from = resolve(workspace, path);
          if (existsSync(from)) cpSync(from, join(folder, encodeURIComponent(path)), { recursive: true });
        }
      });
      // GitHub only warns when the key exists already: caches are immutable.
      rec.log += saved
        ? `Cache saved with key: ${withs.key}\n`
        : `Warning: cache entry ${withs.key} exists; not saved\n`;
      return true;
    }
    case 'actions/upload-artifact': {
      const name = withs.name ?? 'artifact';
      const target = join(ctx.artifactsDir, name);
      if (existsSync(target)) throw new Error(`an artifact named ${name} exists already (v4 refuses)`);
      const found = lines(withs.path).flatMap((p) => globFiles(workspace, p));
      if (found.length === 0) {
        rec.log += `No files were found with the provided path: ${withs.path}\n`;
        return withs['if-no-files-found'] !== 'error';
      }
      // Paths are kept relative to the files' least common ancestor, as the action does.
      let root = dirname(found[0]!);
      while (!found.every((f) => f.startsWith(`${root}/`))) root = dirname(root);
      for (const f of found) {
        const to = join(target, relative(root, f));
        mkdirSync(dirname(to), { recursive: true });
        cpSync(f, to);
      }
      return true;
    }
    case 'actions/download-artifact': {
      const into = resolve(workspace, withs.path ?? '.');
      const names = readdirSync(ctx.artifactsDir);
      if (withs.name) {
        if (!names.includes(withs.name)) throw new Error(`Artifact not found: ${withs.name}`);
        cpSync(join(ctx.artifactsDir, withs.name), into, { recursive: true });
        return true;
      }
      const re = new RegExp(
        `^${(withs.pattern ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
      );
      const chosen = names.filter((n) => re.test(n));
      for (const n of chosen)
        cpSync(join(ctx.artifactsDir, n), withs['merge-multiple'] === 'true' ? into : join(into, n), {
          recursive: true,
        });
      return true;
    }
    default:
      if (action!.startsWith('./')) return runLocalAction(resolve(workspace, action!), withs, ctx);
      throw new Error(`the runner does not emulate ${uses}`);
  }
}

/** A local action (`uses: ./`): composite steps, or a Node action run with `INPUT_*` variables. */
async function runLocalAction(
  dir: string,
  withs: Record<string, string>,
  ctx: UsesContext,
): Promise<boolean> {
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find(existsSync);
  if (!file) throw new Error(`no action.yml in ${dir}`);
  const action = parse(readFileSync(file, 'utf8')) as Yaml;
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries((action.inputs ?? {}) as Yaml))
    inputs[name] = withs[name] ?? (spec?.default !== undefined ? String(spec.default) : '');
  for (const name of Object.keys(withs))
    if (!(name in inputs)) ctx.rec.log += `Warning: unexpected input '${name}'\n`;
  const using = String(action.runs?.using ?? '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
  if (using.startsWith('node')) {
    // GitHub runs the bundle on node24, whose node:sqlite needs no addon. On an older Node (this
    // suite on Node 20) the bundle falls back to better-sqlite3, loaded with require(): let it
    // find the project's build, as the runner's node24 would find node:sqlite.
    const root = ctx.env.FAKE_NPM_ROOT;
    const nodePath: Record<string, string> =
      !hasNodeSqlite() && root ? { NODE_PATH: join(root, 'node_modules') } : {};
    const env = { ...ctx.env, ...inputEnv, ...nodePath, GITHUB_ACTION_PATH: dir };
    return exec('node', [join(dir, String(action.runs.main))], { cwd: ctx.workspace, env }, ctx.rec);
  }
  if (using !== 'composite') throw new Error(`the runner does not run ${using} actions`);
  const steps: Record<string, Value> = {};
  let failed = false;
  const scope = (): Scope => ({
    contexts: {
      github: { ...ctx.github, workspace: ctx.workspace, action_path: dir },
      inputs,
      steps,
      env: {},
      runner: { temp: ctx.temp },
    },
    functions: {
      ...statusFunctions(() => (failed ? 'failure' : 'success')),
      hashfiles: () => '',
    },
  });
  for (const [index, step] of (action.runs.steps as Yaml[]).entries()) {
    if (!condition(step.if, scope())) continue;
    const output = join(ctx.temp, `action-output-${index}-${basename(ctx.files.output)}`);
    writeFileSync(output, '');
    const env: Record<string, string> = {
      ...ctx.env,
      ...Object.fromEntries(
        Object.entries((step.env ?? {}) as Yaml).map(([k, v]) => [k, interpolate(String(v), scope())]),
      ),
      GITHUB_ACTION_PATH: dir,
      GITHUB_OUTPUT: output,
    };
    const cwd = step['working-directory']
      ? resolve(ctx.workspace, interpolate(step['working-directory'], scope()))
      : ctx.workspace;
    const ok = await runBash(interpolate(String(step.run), scope()), cwd, env, ctx.temp, ctx.rec);
    if (step.id) steps[step.id] = { outcome: ok ? 'success' : 'failure', outputs: readKeyValues(output) };
    if (!ok && step['continue-on-error'] !== true) failed = true;
  }
  ctx.rec.outputs = Object.fromEntries(
    Object.entries((action.outputs ?? {}) as Yaml).map(([k, v]) => [
      k,
      interpolate(String(v?.value ?? ''), scope()),
    ]),
  );
  return !failed;
}

/** Whether this Node has `node:sqlite` (22.5 and later; unflagged from 22.13). */
function hasNodeSqlite(): boolean {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return getBuiltin?.('node:sqlite') !== undefined;
  } catch {
    return false;
  }
}
