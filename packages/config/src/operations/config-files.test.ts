import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isConfigFileName, readConfigFiles } from './config-files.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('isConfigFileName', () => {
  it('accepts yaml, yml and json names and refuses hidden files, other extensions and paths', () => {
    expect(['default.yaml', 'production.yml', 'staging.JSON'].map(isConfigFileName)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['.env', '.default.yaml.1.tmp', 'notes.txt', 'sub/default.yaml', '..\\x.json'].map(isConfigFileName),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('readConfigFiles', () => {
  it('reads every config file in name order, following symlinks, and skips .env, folders and other files', async () => {
    await writeFile(join(dir, 'production.yaml'), 'name: prod\n');
    await writeFile(join(dir, 'default.json'), '{}');
    await writeFile(join(dir, '.env'), 'TRELLIS_NAME=x\n');
    await writeFile(join(dir, 'README.txt'), 'hello');
    await mkdir(join(dir, 'nested.yaml'));
    await writeFile(join(dir, 'target.txt'), 'name: linked\n');
    await symlink(join(dir, 'target.txt'), join(dir, 'linked.yml'));
    const files = await readConfigFiles(dir);
    expect(Object.keys(files)).toEqual(['default.json', 'linked.yml', 'production.yaml']);
    expect(files['linked.yml']).toBe('name: linked\n');
  });

  it('returns no files for a folder that does not exist', async () => {
    await expect(readConfigFiles(join(dir, 'missing'))).resolves.toEqual({});
  });

  it('fails when the folder is a file', async () => {
    await writeFile(join(dir, 'file'), '');
    await expect(readConfigFiles(join(dir, 'file'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
