/**
 * Writes link observations into the state database at argv[2], one transaction each, as a
 * real run does, and prints the count after each commit — until it is killed. The kill test
 * sends SIGKILL at a random moment and checks that nothing committed was lost.
 * Gives up by itself after 60 s so a broken test never leaves it running.
 */
import { openHistory } from '../../src/history/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: history-writer.ts STATE_FILE');

const start = Date.parse('2026-10-01T03:00:00.000Z');
const store = openHistory(path, { now: () => new Date(start).toISOString() });
const run = store.beginRun({ options: { writer: true } });
const deadline = Date.now() + 60_000;

let written = 0;
const tick = (): void => {
  for (let i = 0; i < 50; i++) {
    store.recordObservation(run, {
      url: `https://site${written % 97}.test/page/${written}`,
      outcome: written % 3 === 0 ? 'dead' : 'alive',
      reason: written % 3 === 0 ? 'http-404' : 'http-200',
      httpStatus: written % 3 === 0 ? 404 : 200,
      at: new Date(start + written * 1000).toISOString(),
      durationMs: 40,
      bytes: 2048,
    });
    written++;
    process.stdout.write(`${written}\n`);
  }
  if (Date.now() < deadline) setImmediate(tick);
  else store.close();
};
tick();
