import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, openSqlite } from '../src/history/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-kill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has reported `atLeast` commits, then SIGKILLs its process group. */
function writeUntilKilled(path: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // detached: the writer gets its own process group, so the kill reaches node under npx and tsx.
    const child = spawn('npx', ['tsx', 'tests/support/history-writer.ts', path], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let reported = 0;
    let pending = '';
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) reported = Number(line);
      if (!killed && reported >= atLeast) {
        killed = true;
        process.kill(-child.pid!, 'SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killed) resolve(reported);
      else reject(new Error(`writer ended on its own (${code ?? signal}): ${stderr}`));
    });
  });
}

describe('kill -9 during a run', () => {
  it('loses no committed observation; the next run appends', async () => {
    const path = join(dir, 'state.sqlite');
    const reported = await writeUntilKilled(path, 1500);
    expect(reported).toBeGreaterThanOrEqual(1500);

    const store = openHistory(path, { now: () => '2026-10-02T03:00:00.000Z' });
    expect(store.integrityCheck()).toEqual(['ok']);
    const [killedRun] = store.runs();
    expect(killedRun).toMatchObject({ id: 1, options: { writer: true } });
    expect(killedRun!.finishedAt).toBeUndefined();
    // Every observation reported as written is there, with its fields intact.
    expect(store.previous('https://site0.test/page/0')).toMatchObject([
      { runId: 1, outcome: 'dead', httpStatus: 404, bytes: 2048 },
    ]);
    const last = reported - 1;
    expect(store.last(`https://site${last % 97}.test/page/${last}`)?.at).toBe(
      new Date(Date.parse('2026-10-01T03:00:00.000Z') + last * 1000).toISOString(),
    );

    const next = store.beginRun();
    expect(next).toBe(2);
    store.recordObservation(next, {
      url: 'https://site0.test/page/0',
      outcome: 'alive',
      reason: 'http-200',
      at: '2026-10-02T03:00:01.000Z',
      durationMs: 30,
      bytes: 100,
    });
    store.finishRun(next);
    expect(store.previous('https://site0.test/page/0').map((o) => [o.runId, o.outcome])).toEqual([
      [1, 'dead'],
      [2, 'alive'],
    ]);
    expect(store.integrityCheck()).toEqual(['ok']);
    store.close();

    const raw = openSqlite(path, { readonly: true });
    const rows = (
      raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM observations WHERE run_id = 1').get() as {
        n: number;
      }
    ).n;
    expect(rows).toBeGreaterThanOrEqual(reported);
    raw.close();
  });
});
