import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { collectArticlePaths, decodeArticle, readArticleFiles } from '../src/input/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-input-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collectArticlePaths', () => {
  it('takes article files from a directory, sorted, and ignores others', async () => {
    await writeFile(join(dir, 'b.md'), 'x');
    await writeFile(join(dir, 'a.wiki'), 'x');
    await writeFile(join(dir, 'notes.pdf'), 'x');
    expect(await collectArticlePaths([dir])).toEqual([join(dir, 'a.wiki'), join(dir, 'b.md')]);
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'nope.md');
    await expect(collectArticlePaths([missing])).rejects.toThrow(`${missing}: no such file or directory`);
  });

  it('refuses a directory without articles', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(collectArticlePaths([join(dir, 'empty')])).rejects.toBeInstanceOf(InputError);
  });
});

describe('decodeArticle', () => {
  it('strips a UTF-8 BOM', () => {
    expect(decodeArticle('a', new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('hi');
  });
  it('decodes UTF-16 LE with a BOM', () => {
    expect(decodeArticle('a', new Uint8Array([0xff, 0xfe, 0x68, 0, 0x69, 0]))).toBe('hi');
  });
  it.each([
    ['an empty file', new Uint8Array([])],
    ['whitespace only', new TextEncoder().encode(' \n\n\t ')],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1])],
    ['invalid UTF-8', new Uint8Array([0x68, 0xc3, 0x28, 0x69])],
  ])('refuses %s with an InputError naming the file', (_what, bytes) => {
    expect(() => decodeArticle('x.md', bytes)).toThrow(InputError);
    expect(() => decodeArticle('x.md', bytes)).toThrow(/^x\.md: /);
  });
  it('refuses a file over the size cap', () => {
    expect(() => decodeArticle('big.md', new Uint8Array(11), 10)).toThrow(/larger than 10 bytes/);
  });
});

describe('readArticleFiles', () => {
  it('reads every file and counts bytes', async () => {
    await writeFile(join(dir, 'a.md'), 'Title\n\ntext');
    const files = await readArticleFiles([join(dir, 'a.md')]);
    expect(files).toEqual([{ path: join(dir, 'a.md'), text: 'Title\n\ntext', bytes: 11 }]);
  });
});
