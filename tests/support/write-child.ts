/**
 * Writes three one-article reports into argv[2] with the launcher's signal cleanup installed,
 * and stalls on the third file for ever: it prints `stalled` once two temporary files are
 * written, so the signal test interrupts it exactly mid-write. Gives up after 60 s.
 */
import { writeFile } from 'node:fs/promises';
import { installSignalCleanup } from '../../src/cli.js';
import { emptyArticle } from '../../src/model.js';
import { buildReport } from '../../src/report/build.js';
import { writeReports } from '../../src/report/write.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: write-child.ts DIR');
installSignalCleanup();
setTimeout(() => process.exit(9), 60_000).unref();

const run = { now: '2026-11-28T12:00:00.000Z', offline: false, requests: 0, savedByCadence: 0 };
const reports = ['One', 'Two', 'Three'].map((title) =>
  buildReport(emptyArticle({ format: 'markdown', bytes: 1, sha256: 'x' }, title), [], run),
);
let writes = 0;
await writeReports(dir, reports, {
  formats: ['json'],
  fs: {
    writeFile: async (path, data, encoding) => {
      writes += 1;
      if (writes === 3) {
        process.stdout.write('stalled\n');
        // Keeps the process alive (a pending promise alone would let it end).
        setInterval(() => {}, 1000);
        await new Promise(() => {});
      }
      await writeFile(path, data, encoding);
    },
    rename: async () => {
      throw new Error('never reached');
    },
  },
});
