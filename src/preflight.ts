/**
 * Checks the run's environment before it reads an input or makes a request: the `--out`
 * folder (and the `--patch` file's folder) can be created and written, the `--state` database
 * can be opened for writing, is sound and can be migrated. A bad environment is one clear
 * error and exit 2 at once, not a stack trace after every link was fetched. Nothing is left
 * behind: probe files and folders created to test are removed again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeCause, ReportError, StateError } from './errors.js';
import { checkStateFile } from './history/index.js';
import type { CheckOptions } from './options.js';

type Fail = (path: string, message: string, cause?: unknown) => Error;

const reportFailure: Fail = (path, message, cause) => new ReportError(path, message, { cause });
const stateFailure: Fail = (path, message, cause) => new StateError(`${path}: ${message}`, { cause });

/** What is at `path`: a folder, something else, or nothing. */
async function kindOf(path: string): Promise<'folder' | 'file' | 'none'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

/**
 * Makes sure files can be created in `dir`: creates it if missing, writes and removes a probe
 * file, and removes again the folders it created.
 */
export async function checkWritableFolder(dir: string, what: string, fail: Fail): Promise<void> {
  const problem = (cause: unknown): string => {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === 'ENOTDIR' || code === 'EEXIST'
      ? `a file is in the way of the ${what}`
      : `cannot write into the ${what}: ${describeCause(cause)}`;
  };
  let kind: Awaited<ReturnType<typeof kindOf>>;
  try {
    kind = await kindOf(dir);
  } catch (cause) {
    throw fail(dir, problem(cause), cause);
  }
  if (kind === 'file') throw fail(dir, `is a file; the ${what} must be a folder`);
  let created: string | undefined;
  try {
    if (kind === 'none') created = await mkdir(dir, { recursive: true });
    const probe = join(dir, `.citewatch-probe-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe, { force: true });
  } catch (cause) {
    throw fail(dir, problem(cause), cause);
  } finally {
    if (created !== undefined) await rm(created, { recursive: true, force: true });
  }
}

/** Checks `--out`, `--state` and `--patch` before the run reads or fetches anything. */
export async function preflight(options: Pick<CheckOptions, 'out' | 'state' | 'patch'>): Promise<void> {
  await checkWritableFolder(options.out, '--out folder', reportFailure);
  if (options.state !== ':memory:') {
    const kind = await kindOf(options.state).catch(() => 'none' as const);
    if (kind === 'folder') throw stateFailure(options.state, 'is a folder; --state must be a database file');
    if (kind === 'file') checkStateFile(options.state);
    // The database adds its -wal and -shm files beside it: its folder must be writable too.
    await checkWritableFolder(dirname(options.state), 'folder of --state', stateFailure);
  }
  if (options.patch !== undefined) {
    if ((await kindOf(options.patch).catch(() => 'none' as const)) === 'folder')
      throw reportFailure(options.patch, 'is a folder; --patch must be a file');
    await checkWritableFolder(dirname(options.patch), 'folder of --patch', reportFailure);
  }
}
