import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { atomicWriteFile, syncDirectory } from './write-file-atomic.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-write-file-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomicWriteFile', () => {
  it('writes the file', async () => {
    await atomicWriteFile(join(dir, 'x.txt'), 'hello');
    expect(await readFile(join(dir, 'x.txt'), 'utf8')).toBe('hello');
  });

  it('rethrows the underlying error unwrapped', async () => {
    await expect(atomicWriteFile(dir, 'x')).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('syncDirectory', () => {
  it('flushes a directory', async () => {
    await expect(syncDirectory(dir)).resolves.toBeUndefined();
  });

  it('rethrows errors other than "cannot fsync a directory"', async () => {
    await expect(syncDirectory(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  // procfs refuses fsync with EINVAL, as some platforms and file systems do for every directory.
  const onLinux = process.platform === 'linux' ? it : it.skip;
  onLinux('ignores a file system that cannot fsync directories', async () => {
    await expect(syncDirectory('/proc')).resolves.toBeUndefined();
  });
});
