/**
 * Header values: a bad `--user-agent` or Save Page Now credential is refused at the start with
 * one line and exit 2 (never a silent run with every link skipped, nor a process that dies with
 * an unsettled promise); a credential's trailing whitespace (a secret pasted with its newline)
 * is trimmed. And one request that fails inside undici in any way (a synchronous throw, a
 * dispatcher that never answers) frees its slot, so the run completes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, main, spnCredentials } from '../src/cli.js';
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { checkHeaderValues, resolveCheckOptions } from '../src/options.js';
import { runCheck } from '../src/pipeline.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';
import { spnService } from './support/spn-service.js';
import { writtenReports } from './support/written-reports.js';

let dir: string;
let sim: Simulator | undefined;
let dispatcherUnderTest: Dispatcher | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citewatch-headers-'));
});
afterEach(async () => {
  await dispatcherUnderTest?.close();
  dispatcherUnderTest = undefined;
  await sim?.close();
  sim = undefined;
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

/** The simulator's URL of `host` by its loopback address: the CLI resolves names for real. */
const byAddress = (s: Simulator, host: string, path: string): string =>
  s.url(host, path).replace(host, s.addressOf(host));

async function article(url: string): Promise<string> {
  const path = join(dir, 'a.wiki');
  await writeFile(
    path,
    `'''A''' is a subject. A claim.<ref>{{cite web |url=${url} |title=Source |website=Example |date=2025-03-01 |access-date=2026-01-05}}</ref>\n\n== References ==\n{{reflist}}\n`,
  );
  return path;
}

const common = () => [
  '--out',
  join(dir, 'reports'),
  '--state',
  join(dir, 'state.sqlite'),
  '--allow-network',
  '127.0.0.0/8',
  '--snapshots',
  'none',
  '--progress',
  'never',
  '--quiet',
];

describe('header values are checked before any network work', () => {
  it('a --user-agent with a newline: exit 2, one line, no request, nothing written', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const path = await article(byAddress(sim, 'site.test', '/page'));
    const { code, stderr } = await cli([
      'check',
      path,
      ...common(),
      '--user-agent',
      'citewatch\nX-Injected: 1',
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--user-agent/);
    expect(stderr).toMatch(/U\+000A/);
    expect(sim.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'state.sqlite'))).toBe(false);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it.each([
    ['a control character', 'bot\u0007'],
    ['a carriage return', 'bot\rX'],
    ['a character past Latin-1', 'bot \u2603'],
  ])('a --user-agent with %s is refused', (_what, userAgent) => {
    expect(() => checkHeaderValues({ userAgent, spn: {} })).toThrow(/--user-agent/);
  });

  it('a printable --user-agent (tabs and Latin-1 included) passes', () => {
    expect(() =>
      checkHeaderValues({ userAgent: 'citewatch/1 (+https://x.test;\tcafé)', spn: {} }),
    ).not.toThrow();
  });

  it('an SPN secret with a newline inside: exit 2, one line that does not show the secret', async () => {
    const path = await article('http://127.0.0.1:9/page');
    const { code, stderr } = await cli(['check', path, ...common(), '--archive', '--offline'], {
      CITEWATCH_SPN_ACCESS_KEY: 'key',
      CITEWATCH_SPN_SECRET: 'sek\nrit',
    });
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/CITEWATCH_SPN_SECRET/);
    expect(stderr).not.toContain('sek');
  });

  it('a bad SPN key in the config file names the config key', async () => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ spn: { accessKey: 'k\u0000ey', secret: 'sekrit' } }));
    const path = await article('http://127.0.0.1:9/page');
    const { code, stderr } = await cli(['check', path, ...common(), '--offline', '--config', config]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/spn\.accessKey/);
  });
});

describe('SPN credentials with trailing whitespace', () => {
  it('are trimmed, and what was trimmed is named (never the value)', () => {
    const { spn, trimmed } = spnCredentials(
      { CITEWATCH_SPN_ACCESS_KEY: 'key ', CITEWATCH_SPN_SECRET: 'sekrit\n' },
      { spn: { maxPerMinute: 3 } },
    );
    expect(spn).toEqual({ maxPerMinute: 3, accessKey: 'key', secret: 'sekrit' });
    expect(trimmed).toEqual(['CITEWATCH_SPN_ACCESS_KEY', 'CITEWATCH_SPN_SECRET']);
    const fromConfig = spnCredentials({}, { spn: { accessKey: 'key', secret: 'sekrit\r\n' } });
    expect(fromConfig.spn).toEqual({ accessKey: 'key', secret: 'sekrit' });
    expect(fromConfig.trimmed).toEqual(['spn.secret']);
  });

  it('a secret pasted with its newline still authenticates the run', async () => {
    const spn = spnService({
      name: 'web.archive.org',
      accessKey: 'key',
      secret: 'sekrit',
      clock: Date.now,
      // An answer without a job: no polling, so the run ends at once.
      script: () => ({ kind: 'refuse', message: 'not today' }),
    });
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }, spn.host]);
    const path = await article(byAddress(sim, 'site.test', '/page'));
    const { code } = await cli(
      [
        'check',
        path,
        ...common(),
        '--archive',
        '--endpoint',
        `spn=${byAddress(sim, 'web.archive.org', '/save')}`,
      ],
      { CITEWATCH_SPN_ACCESS_KEY: 'key', CITEWATCH_SPN_SECRET: 'sekrit\n' },
    );
    expect(code).toBe(EXIT.ok);
    expect(spn.submissions.map((s) => s.authorization)).toEqual(['LOW key:sekrit']);
    const report = JSON.parse(await readFile(join(dir, 'reports', 'a.json'), 'utf8'));
    expect(report.archiveRequests[0].reason).not.toMatch(/invalid|unauthorized/);
  });
});

describe('a request that fails inside undici frees its slot', () => {
  /** An undici Agent to the simulator, with one path that throws and one that is never answered. */
  function hostileDispatcher(s: Simulator): Dispatcher {
    return new Agent({ connect: { lookup: s.lookup } }).compose((dispatch) => (opts, handler) => {
      if (opts.path === '/throws') throw new TypeError('broken inside the dispatcher');
      // Swallowed: no callback of the handler is ever called, not even on abort.
      if (opts.path === '/swallowed') return true;
      return dispatch(opts, handler);
    });
  }

  it('a synchronous throw and a request never answered end their fetches; the host goes on', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const dispatcher = hostileDispatcher(sim);
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 1,
        perHostIntervalMs: 0,
        concurrency: 1,
        retries: 0,
        // Ends the swallowed requests; ample for the pages that answer, even on a loaded machine.
        timeoutMs: 1000,
      }),
      { dispatcher },
    );
    const paths = ['/throws', '/swallowed', '/a', '/throws', '/swallowed', '/b'];
    const results = await Promise.all(paths.map((p) => fetcher.fetch({ url: sim!.url('site.test', p) })));
    expect(results.map((r) => r.status ?? r.error?.kind)).toEqual([
      'other',
      'timeout',
      200,
      'other',
      'timeout',
      200,
    ]);
    expect(sim.requests.map((r) => r.path)).toEqual(['/a', '/b']);
    await fetcher.close();
    await dispatcher.close();
  });

  it('a whole run with such requests completes and writes its reports', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const s = sim;
    dispatcherUnderTest = hostileDispatcher(s);
    const urls = ['/throws', '/swallowed', '/fine'].map((p) => s.url('site.test', p));
    const refs = urls
      .map((url, i) => `Claim ${i}.<ref>{{cite web |url=${url} |title=S${i}}}</ref>`)
      .join(' ');
    const path = join(dir, 'hostile.wiki');
    await writeFile(path, `'''Hostile''' is a subject. ${refs}\n\n== References ==\n{{reflist}}\n`);
    const options = resolveCheckOptions({
      inputs: [path],
      out: join(dir, 'reports'),
      state: join(dir, 'state.sqlite'),
      allowNetwork: ['127.0.0.0/8'],
      snapshots: 'none',
      perHostInterval: 0,
      timeout: 1000,
    });
    const result = await runCheck(options, { fetcherDeps: { dispatcher: dispatcherUnderTest } });
    const checks = (await writtenReports(result))[0]!.article.references
      .flatMap((r) => r.links)
      .map((l) => l.check);
    expect(checks.map((c) => [c?.outcome, c?.reason])).toEqual([
      ['error', 'other'],
      ['error', 'timeout'],
      ['alive', 'http-200'],
    ]);
    expect(existsSync(join(dir, 'reports', 'hostile.json'))).toBe(true);
  });

  it('fetchEach settles every request even when they all fail inside undici', async () => {
    sim = await startSimulator([{ name: 'site.test', fallback: behaviours.ok() }]);
    const dispatcher = hostileDispatcher(sim);
    const fetcher = createFetcher(
      fetcherOptionsFromDefaults({
        allowNetwork: ['127.0.0.0/8'],
        perHostConcurrency: 2,
        perHostIntervalMs: 0,
        retries: 1,
        retryBaseDelayMs: 0,
        timeoutMs: 1000,
      }),
      { dispatcher },
    );
    const requests = Array.from({ length: 8 }, (_, i) => ({
      url: sim!.url('site.test', i % 2 ? '/throws' : '/swallowed'),
    }));
    const kinds: string[] = [];
    await fetcher.fetchEach(requests, (_request, result) => {
      kinds.push(result.error?.kind ?? String(result.status));
    });
    expect(kinds.sort()).toEqual([...Array(4).fill('other'), ...Array(4).fill('timeout')]);
    await fetcher.close();
    await dispatcher.close();
  });
});
