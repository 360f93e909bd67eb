import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findConfigFile, readConfigFile } from './read-config-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readConfigFile', () => {
  it('reads a YAML file with origins in that file', async () => {
    const file = join(dir, 'default.yaml');
    await writeFile(file, 'cache:\n  ttlMs: 5000\n');
    const layer = await readConfigFile(file, 'file');
    expect(layer?.values).toEqual({ cache: { ttlMs: 5000 } });
    expect(layer?.origins.get('cache.ttlMs')).toEqual({ layer: 'file', source: file, line: 2, column: 10 });
  });

  it('reads .yml and .json files', async () => {
    await writeFile(join(dir, 'a.yml'), 'a: 1\n');
    await writeFile(join(dir, 'b.json'), '{"b": 2}');
    expect((await readConfigFile(join(dir, 'a.yml'), 'environment-file'))?.values).toEqual({ a: 1 });
    expect((await readConfigFile(join(dir, 'b.json'), 'environment-file'))?.origins.get('b')).toMatchObject({
      layer: 'environment-file',
      line: 1,
      column: 7,
    });
  });

  it('resolves to undefined when the file does not exist', async () => {
    await expect(readConfigFile(join(dir, 'missing.yaml'), 'file')).resolves.toBeUndefined();
  });

  it('reports a malformed file with its path, line and column', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "a": 1,\n}');
    await expect(readConfigFile(file, 'file')).rejects.toThrow(
      `${file}:3:1: Expected double-quoted property name`,
    );
  });

  it('rejects other extensions', async () => {
    await expect(readConfigFile(join(dir, 'config.toml'), 'file')).rejects.toThrow(
      'config.toml:1:1: expected a .yaml, .yml or .json file',
    );
  });

  it('passes on read errors other than a missing file', async () => {
    const folder = join(dir, 'folder.yaml');
    await mkdir(folder);
    await expect(readConfigFile(folder, 'file')).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('findConfigFile', () => {
  it('finds the one file with a known extension', async () => {
    const sub = await mkdtemp(join(dir, 'find-'));
    await writeFile(join(sub, 'production.yml'), 'a: 1\n');
    expect(findConfigFile(sub, 'production')).toBe(join(sub, 'production.yml'));
    expect(findConfigFile(sub, 'staging')).toBeUndefined();
  });

  it('refuses to choose between two files', async () => {
    const sub = await mkdtemp(join(dir, 'find-'));
    await writeFile(join(sub, 'default.yaml'), 'a: 1\n');
    await writeFile(join(sub, 'default.json'), '{}');
    expect(() => findConfigFile(sub, 'default')).toThrow(
      'both default.yaml and default.json exist; keep one',
    );
  });

  it('names all three files when all exist', async () => {
    const sub = await mkdtemp(join(dir, 'find-'));
    for (const extension of ['yaml', 'yml', 'json']) await writeFile(join(sub, `default.${extension}`), '{}');
    expect(() => findConfigFile(sub, 'default')).toThrow(
      'default.yaml, default.yml and default.json all exist; keep one',
    );
  });
});
