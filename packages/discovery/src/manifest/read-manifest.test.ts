import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManifestInvalidError } from '../errors.js';
import { PLUGIN_MANIFEST_FILE, readManifest, readManifestCandidates } from './read-manifest.js';

let tmp: string;
let count = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'trellis-read-manifest-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh plugin folder holding the given files (objects are written as JSON). */
async function pluginDir(files: Record<string, unknown>): Promise<string> {
  const dir = join(tmp, `plugin-${++count}`);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(
      join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

async function invalid(dir: string): Promise<ManifestInvalidError> {
  const error = await readManifest(dir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ManifestInvalidError))
    throw new Error(`expected ManifestInvalidError, got ${error}`);
  return error;
}

const minimal = { name: 'billing', version: '1.2.0', platform: '^0.1.0' };

describe('readManifest', () => {
  it('reads trellis.plugin.json with defaults applied', async () => {
    const dir = await pluginDir({ [PLUGIN_MANIFEST_FILE]: minimal });
    expect(await readManifest(dir)).toEqual({
      manifest: expect.objectContaining({ ...minimal, main: 'index.js', activation: 'eager' }),
      dir,
      file: join(dir, PLUGIN_MANIFEST_FILE),
      source: PLUGIN_MANIFEST_FILE,
    });
  });

  it('prefers trellis.plugin.json over the package.json trellis field', async () => {
    const dir = await pluginDir({
      [PLUGIN_MANIFEST_FILE]: minimal,
      'package.json': { name: 'other', version: '9.0.0', trellis: { platform: '^0.1.0' } },
    });
    expect(await readManifest(dir)).toMatchObject({
      manifest: { name: 'billing' },
      source: PLUGIN_MANIFEST_FILE,
    });
  });

  it('reads the trellis field of package.json, taking name and version from the package', async () => {
    const dir = await pluginDir({
      'package.json': {
        name: '@acme/billing',
        version: '3.1.0',
        trellis: { platform: '^0.1.0', main: 'dist/index.js' },
      },
    });
    expect(await readManifest(dir)).toEqual({
      manifest: expect.objectContaining({ name: '@acme/billing', version: '3.1.0', main: 'dist/index.js' }),
      dir,
      file: join(dir, 'package.json'),
      source: 'package.json',
    });
  });

  it('lets the trellis field override the package name and version', async () => {
    const dir = await pluginDir({
      'package.json': { name: 'pkg', version: '1.0.0', trellis: { ...minimal } },
    });
    expect((await readManifest(dir))?.manifest).toMatchObject({ name: 'billing', version: '1.2.0' });
  });

  it('resolves to undefined for a folder without a manifest', async () => {
    expect(await readManifest(await pluginDir({ 'README.md': '# hi' }))).toBeUndefined();
  });

  it('resolves to undefined for a package.json without a trellis field', async () => {
    expect(
      await readManifest(await pluginDir({ 'package.json': { name: 'lodash', version: '4.0.0' } })),
    ).toBeUndefined();
  });

  it('resolves to undefined for a package.json that only mentions trellis elsewhere', async () => {
    const dir = await pluginDir({
      'package.json': { name: 'x', keywords: ['trellis'], nested: { trellis: {} } },
    });
    expect(await readManifest(dir)).toBeUndefined();
  });

  it('resolves to undefined for a folder that does not exist, or is a file', async () => {
    expect(await readManifest(join(tmp, 'missing'))).toBeUndefined();
    const dir = await pluginDir({ 'file.txt': 'x' });
    expect(await readManifest(join(dir, 'file.txt'))).toBeUndefined();
  });

  it('reports malformed JSON as file:line:column without quoting the text', async () => {
    const dir = await pluginDir({
      [PLUGIN_MANIFEST_FILE]: '{\n  "name": "billing",\n  "version": "1.0.0" "secret"\n}',
    });
    const error = await invalid(dir);
    expect(error.message).toContain(`${join(dir, PLUGIN_MANIFEST_FILE)}:3:22: not valid JSON`);
    expect(error.message).not.toContain('secret');
    expect(error.problems).toEqual([expect.objectContaining({ field: '', line: 3, column: 22 })]);
  });

  it('reports malformed package.json with line and column', async () => {
    const dir = await pluginDir({ 'package.json': '{ "name": "x", "trellis": { , } }' });
    expect((await invalid(dir)).message).toContain(`${join(dir, 'package.json')}:1:29: not valid JSON`);
  });

  it('reads a manifest that starts with a byte order mark', async () => {
    const dir = await pluginDir({ [PLUGIN_MANIFEST_FILE]: `\uFEFF${JSON.stringify(minimal)}` });
    expect((await readManifest(dir))?.manifest.name).toBe('billing');
  });

  it('lists every invalid field of trellis.plugin.json', async () => {
    const dir = await pluginDir({
      [PLUGIN_MANIFEST_FILE]: { name: 'billing', version: 'one', platform: 'soon' },
    });
    const error = await invalid(dir);
    expect(error.problems.map((p) => p.field)).toEqual(['version', 'platform']);
    expect(error.message).toContain(
      `${join(dir, PLUGIN_MANIFEST_FILE)} "version": expected a semver version like "1.2.0", got "one"`,
    );
  });

  it('names trellis.* fields of package.json, and inherited ones at the top level', async () => {
    const dir = await pluginDir({
      'package.json': { name: 'Bad Name', trellis: { platform: 'soon', extra: 1 } },
    });
    const error = await invalid(dir);
    expect(error.problems.map((p) => p.field)).toEqual([
      'name',
      'version',
      'trellis.platform',
      'trellis.extra',
    ]);
    expect(error.details).toMatchObject({ file: join(dir, 'package.json') });
  });

  it('reports a trellis field that is not an object', async () => {
    const dir = await pluginDir({ 'package.json': { name: 'x', version: '1.0.0', trellis: true } });
    expect((await invalid(dir)).problems).toEqual([
      { field: 'trellis', message: expect.stringMatching(/^expected a JSON object .* got true$/) },
    ]);
  });

  it('ignores a package.json that is not an object', async () => {
    expect(await readManifest(await pluginDir({ 'package.json': '["trellis"]' }))).toBeUndefined();
  });

  it('reports a manifest that cannot be read', async () => {
    const dir = await pluginDir({});
    await mkdir(join(dir, PLUGIN_MANIFEST_FILE));
    const error = await invalid(dir);
    expect(error.problems).toEqual([
      { field: '', message: expect.stringMatching(/^cannot be read \(EISDIR\)/) },
    ]);
  });
});

describe('readManifestCandidates', () => {
  it('opens only the files the listing showed', async () => {
    const opened: string[] = [];
    const readText = async (file: string) => {
      opened.push(file);
      return JSON.stringify({ name: 'x', version: '1.0.0', trellis: { platform: '*' } });
    };
    await readManifestCandidates('/plugins/x', { pluginJson: false, packageJson: true }, readText);
    expect(opened).toEqual([join('/plugins/x', 'package.json')]);
  });

  it('resolves to undefined when no candidate is present', async () => {
    const readText = async (): Promise<string> => {
      throw new Error('not called');
    };
    expect(
      await readManifestCandidates('/x', { pluginJson: false, packageJson: false }, readText),
    ).toBeUndefined();
  });

  it('names a read failure without an errno code', async () => {
    const readText = async (): Promise<string> => {
      throw 'disk on fire';
    };
    await expect(
      readManifestCandidates('/x', { pluginJson: true, packageJson: false }, readText),
    ).rejects.toThrow('cannot be read (disk on fire)');
  });
});
