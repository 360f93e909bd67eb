import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { entryFormat } from './entry-format.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-format-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<string> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('entryFormat', () => {
  it('takes .mjs as ESM and .cjs as CommonJS whatever the package says', async () => {
    await write('package.json', '{ "type": "module" }');
    expect(await entryFormat(join(root, 'index.cjs'))).toBe('commonjs');
    await write('package.json', '{ "type": "commonjs" }');
    expect(await entryFormat(join(root, 'index.mjs'))).toBe('esm');
  });

  it('follows "type": "module" of the nearest package.json for .js', async () => {
    await write('package.json', '{ "type": "module" }');
    expect(await entryFormat(join(root, 'dist', 'deep', 'index.js'))).toBe('esm');
  });

  it('lets a nearer package.json without "type" make .js CommonJS', async () => {
    await write('package.json', '{ "type": "module" }');
    await write('dist/package.json', '{ "name": "inner" }');
    expect(await entryFormat(join(root, 'dist', 'index.js'))).toBe('commonjs');
  });

  it('does not look past a node_modules folder', async () => {
    await write('package.json', '{ "type": "module" }');
    expect(await entryFormat(join(root, 'node_modules', 'index.js'))).toBe('commonjs');
  });

  it('takes .js without any package.json up to the root as CommonJS', async () => {
    expect(await entryFormat('/index.js')).toBe('commonjs');
  });

  it('takes .js under an unparsable or non-object package.json as CommonJS', async () => {
    await write('a/package.json', '{ broken');
    await write('b/package.json', '"module"');
    expect(await entryFormat(join(root, 'a', 'index.js'))).toBe('commonjs');
    expect(await entryFormat(join(root, 'b', 'index.js'))).toBe('commonjs');
  });
});
