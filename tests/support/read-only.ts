/**
 * Makes a file or folder read-only for the tests of unwritable `--out` and `--state`. A mode of
 * 0555/0444 stops an ordinary user; root writes through modes, so as root the path is made
 * immutable (`chattr +i`, which stops root too). Returns the undo.
 */
import { execFileSync } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';

export type Undo = () => Promise<void>;

const isRoot = (): boolean => process.getuid?.() === 0;

export async function makeReadOnly(path: string): Promise<Undo> {
  if (isRoot()) {
    execFileSync('chattr', ['+i', path]);
    return async () => {
      execFileSync('chattr', ['-i', path]);
    };
  }
  const { mode } = await stat(path);
  await chmod(path, (await stat(path)).isDirectory() ? 0o555 : 0o444);
  return async () => {
    await chmod(path, mode);
  };
}
