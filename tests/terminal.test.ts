/**
 * A run on a terminal: human log lines that never land inside the progress bar (clear, print,
 * redraw), and a closing summary computed from the per-article summaries. Off a terminal, and
 * with `--log-format json`, the log stays NDJSON and there is no summary. The terminal is a
 * small emulator of what a real one does with `\r`, `ESC[2K` and `\n`; the web is the loopback
 * simulator.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { formatPrettyLine } from '../src/log.js';
import type { Summary } from '../src/model.js';
import { renderTerminalSummary } from '../src/report/terminal.js';
import { behaviours, type Simulator, startSimulator } from './support/simulator.js';

let dir: string;
let sim: Simulator;
let articlePath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-terminal-'));
  sim = await startSimulator([
    {
      name: 'news.test',
      routes: {
        '/live': behaviours.ok(),
        '/gone': behaviours.notFound(),
        '/walled': behaviours.status(403, 'Forbidden'),
      },
    },
  ]);
  const url = (path: string): string => {
    const u = new URL(sim.url('news.test', path));
    u.hostname = sim.addressOf('news.test');
    return u.href;
  };
  articlePath = join(dir, 'terminal.wiki');
  await writeFile(
    articlePath,
    `'''Terminal''' is a subject.<ref>{{cite web |url=${url('/live')} |title=Live |website=News |date=2025-01-01}}</ref> It is contested.<ref>{{cite web |url=${url('/gone')} |title=Gone |website=News |date=2025-01-01}}</ref> Or walled.<ref>{{cite web |url=${url('/walled')} |title=Walled |website=News |date=2025-01-01}}</ref>\n\nA second paragraph with no source at all.{{citation needed|date=May 2025}}\n\n== References ==\n{{reflist}}\n`,
  );
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** What a terminal shows after `writes`: `\r` goes to column 0, `ESC[2K` clears the line. */
function screen(writes: readonly string[]): string[] {
  const lines: string[] = [''];
  let col = 0;
  const tokens = writes.join('').split(/(\r|\n|\x1b\[2K|\x1b\[[0-9;]*m)/);
  for (const token of tokens) {
    if (token === '') continue;
    const row = lines.length - 1;
    if (token === '\r') col = 0;
    else if (token === '\n') {
      lines.push('');
      col = 0;
    } else if (token === '\x1b[2K') lines[row] = '';
    else if (token.startsWith('\x1b[')) continue;
    else {
      const line = lines[row]!.padEnd(col);
      lines[row] = line.slice(0, col) + token + line.slice(col + token.length);
      col += token.length;
    }
  }
  return lines;
}

async function run(extra: string[], tty: boolean) {
  const writes: string[] = [];
  const code = await main(
    [
      'check',
      articlePath,
      '--out',
      join(dir, `reports-${extra.join('')}-${tty}`),
      '--state',
      join(dir, `state-${extra.join('')}-${tty}.sqlite`),
      '--now',
      '2026-11-01T03:00:00Z',
      '--allow-network',
      '127.0.0.0/8',
      '--per-host-interval',
      '0',
      '--snapshots',
      'none',
      ...extra,
    ],
    {
      stdout: () => {},
      stderr: (s) => writes.push(s),
      env: {},
      terminal: { isTTY: tty, columns: 100, write: (s) => writes.push(s) },
    },
  );
  return { code, writes, lines: screen(writes) };
}

const isBar = (line: string): boolean => /^\[[#.]{24}\] \d+\/\d+/.test(line);

describe('a run on a terminal', () => {
  it('regression: log lines are printed above the bar, never into it, as human lines', async () => {
    const { code, writes, lines } = await run(['--progress', 'always'], true);
    expect(code).toBe(0);
    expect(writes.some((w) => isBar(w.replace(/^\r\x1b\[2K/, '')))).toBe(true);
    expect(writes.join('')).not.toContain('{"level"');
    const logLines = lines.filter((l) => /^\d\d:\d\d:\d\d (INFO |WARN |ERROR)/.test(l));
    const messages = logLines.map((l) => l.slice(9).split(/ {2}(?=\w+=)/)[0]);
    expect(messages).toEqual(
      expect.arrayContaining(['INFO  articles read', 'INFO  article checked', 'INFO  reports written']),
    );
    // No line of the screen holds a bar and a log line at once; the bar is gone at the end.
    for (const line of lines) expect(isBar(line) && /INFO|WARN/.test(line)).toBe(false);
    expect(lines.some(isBar)).toBe(false);
  });

  it('regression: the run ends with a summary of the counts and the path of summary.md', async () => {
    const { lines } = await run(['--progress', 'always'], true);
    const tail = lines.filter((l) => l !== '').slice(-3);
    expect(tail).toEqual([
      '1 article, 3 references, 3 links checked',
      expect.stringMatching(
        /^dead 0 {2}· {2}suspect 1 {2}· {2}blocked 1 {2}· {2}failed to load 0 {2}· {2}unsourced claims [1-9]\d*$/,
      ),
      `report: ${join(dir, 'reports---progressalways-true', 'summary.md')}`,
    ]);
  });

  it('--log-format json keeps NDJSON on a terminal, still above the bar, and adds no summary', async () => {
    const { lines } = await run(['--progress', 'always', '--log-format', 'json'], true);
    const json = lines.filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(2);
    for (const l of json) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines.join('\n')).not.toContain('report: ');
  });

  it('off a terminal: NDJSON only, no bar, no summary', async () => {
    const { lines } = await run([], false);
    const nonEmpty = lines.filter((l) => l !== '');
    expect(nonEmpty.length).toBeGreaterThan(2);
    for (const l of nonEmpty) expect(JSON.parse(l)).toHaveProperty('msg');
  });

  it('--quiet on a terminal: no info lines and no summary', async () => {
    const { lines } = await run(['--quiet'], true);
    expect(lines.filter((l) => l !== '')).toEqual([]);
  });
});

describe('formatPrettyLine', () => {
  it('time, level, message and fields; strings with spaces quoted', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.parse('2026-11-01T03:04:05Z'),
      name: 'citewatch',
      msg: 'fail-on threshold met',
      kind: 'dead',
      article: 'A b',
      count: 2,
    });
    expect(formatPrettyLine(line)).toBe(
      '03:04:05 WARN  fail-on threshold met  kind=dead article="A b" count=2\n',
    );
  });

  it('control characters from the web cannot move the cursor', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'article checked', article: 'x\x1b[2Ky\ry' });
    expect(formatPrettyLine(line)).not.toMatch(/[\x1b\r]/);
  });
});

describe('renderTerminalSummary', () => {
  const summary = (links: Partial<Summary['links']>, unsourced = 0): Summary => ({
    references: 10,
    citations: 12,
    tags: 0,
    unsourcedClaims: unsourced,
    findings: { error: 0, warning: 0, info: 0 },
    findingsByKind: {},
    links: { total: 10, alive: 0, suspect: 0, dead: 0, blocked: 0, error: 0, skipped: 0, ...links },
    identifiers: { total: 0, invalid: 0, unresolved: 0 },
  });

  it('adds up the articles', () => {
    expect(
      renderTerminalSummary(
        [summary({ dead: 1, suspect: 2, skipped: 1 }, 3), summary({ error: 4, blocked: 1 })],
        {
          summaryPath: 'reports/summary.md',
        },
      ),
    ).toBe(
      '\n2 articles, 20 references, 19 links checked\ndead 1  ·  suspect 2  ·  blocked 1  ·  failed to load 4  ·  unsourced claims 3\nreport: reports/summary.md\n',
    );
  });

  it('says when nothing was checked', () => {
    expect(
      renderTerminalSummary([summary({ skipped: 10 })], { summaryPath: 's.md', offline: true }),
    ).toContain('1 article, 10 references, links not checked (offline)');
  });
});
