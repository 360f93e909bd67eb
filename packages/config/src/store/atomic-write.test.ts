import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { ConfigWriteError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-atomic-write-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tempFiles(inDir: string): Promise<string[]> {
  return (await readdir(inDir)).filter((name) => name.endsWith('.tmp'));
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the write to fail');
    },
    (error: unknown) => error,
  );
}

describe('writeFileAtomic', () => {
  it('creates missing parent directories', async () => {
    const file = join(dir, 'a', 'b', 'config.yaml');
    await writeFileAtomic(file, 'port: 8080\n');
    expect(await readFile(file, 'utf8')).toBe('port: 8080\n');
  });

  it('replaces the content of an existing file', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'old content that is longer than the new one\n');
    await writeFileAtomic(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
  });

  it('writes bytes as given', async () => {
    const file = join(dir, 'blob.bin');
    await writeFileAtomic(file, new Uint8Array([0, 255, 10, 13]));
    expect([...(await readFile(file))]).toEqual([0, 255, 10, 13]);
  });

  it('keeps the mode of the file it replaces', async () => {
    const file = join(dir, 'keys.json');
    await writeFile(file, '{}');
    await chmod(file, 0o640);
    await writeFileAtomic(file, '{"a":1}');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('sets the mode it is given, regardless of the umask', async () => {
    const file = join(dir, 'secret.key');
    await writeFileAtomic(file, 'k', { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, 'k2', { mode: 0o644 });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it('leaves no temp file after a successful write', async () => {
    await writeFileAtomic(join(dir, 'config.yaml'), 'a');
    await writeFileAtomic(join(dir, 'config.yaml'), 'b');
    expect(await readdir(dir)).toEqual(['config.yaml']);
  });

  it('throws ConfigWriteError naming the path when the target is a directory, leaving it untouched', async () => {
    const target = join(dir, 'config.yaml');
    await mkdir(target);
    await writeFile(join(target, 'inside.txt'), 'old');

    const error = await failure(writeFileAtomic(target, 'new'));

    expect(error).toBeInstanceOf(ConfigWriteError);
    expect(TrellisError.is(error, 'CONFIG_WRITE_FAILED')).toBe(true);
    expect((error as ConfigWriteError).message).toContain(target);
    expect((error as ConfigWriteError).details).toEqual({ file: target });
    expect((error as ConfigWriteError).cause).toMatchObject({ code: 'EISDIR' });
    expect(await readFile(join(target, 'inside.txt'), 'utf8')).toBe('old');
    expect(await tempFiles(dir)).toEqual([]);
  });

  it('removes its temp file and keeps the old content when it fails after creating the temp file', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'old');

    const error = await failure(writeFileAtomic(file, 'new', { mode: -1 }));

    expect(TrellisError.is(error, 'CONFIG_WRITE_FAILED')).toBe(true);
    expect((error as ConfigWriteError).cause).toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await tempFiles(dir)).toEqual([]);
  });

  it('throws ConfigWriteError when the parent directory cannot be created', async () => {
    const notADir = join(dir, 'file');
    await writeFile(notADir, 'x');

    const error = await failure(writeFileAtomic(join(notADir, 'config.yaml'), 'new'));

    expect(TrellisError.is(error, 'CONFIG_WRITE_FAILED')).toBe(true);
    expect(await readFile(notADir, 'utf8')).toBe('x');
    expect(await tempFiles(dir)).toEqual([]);
  });

  it('throws ConfigWriteError when the existing target cannot be inspected', async () => {
    const loop = join(dir, 'loop.yaml');
    await symlink(loop, loop);

    const error = await failure(writeFileAtomic(loop, 'new'));

    expect(TrellisError.is(error, 'CONFIG_WRITE_FAILED')).toBe(true);
    expect((error as ConfigWriteError).cause).toMatchObject({ code: 'ELOOP' });
    expect(await tempFiles(dir)).toEqual([]);
  });
});
