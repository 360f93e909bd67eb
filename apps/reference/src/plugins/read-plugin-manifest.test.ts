import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readPluginManifest } from './read-plugin-manifest.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-manifest-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const valid = { name: 'demo', version: '1.0.0', platform: '^0.1.0' };

describe('readPluginManifest', () => {
  it('reads trellis.plugin.json', async () => {
    await writeFile(join(dir, 'trellis.plugin.json'), JSON.stringify(valid));
    await expect(readPluginManifest(dir)).resolves.toEqual({
      manifest: valid,
      dir,
      file: join(dir, 'trellis.plugin.json'),
    });
  });

  it('reads the trellis field of package.json when there is no trellis.plugin.json', async () => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'pkg', trellis: valid }));
    await expect(readPluginManifest(dir)).resolves.toMatchObject({
      manifest: valid,
      file: join(dir, 'package.json'),
    });
  });

  it('returns undefined for a folder that is not a plugin', async () => {
    await expect(readPluginManifest(dir)).resolves.toBeUndefined();
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'not-a-plugin' }));
    await expect(readPluginManifest(dir)).resolves.toBeUndefined();
  });

  it('names the file when the JSON is malformed', async () => {
    await writeFile(join(dir, 'trellis.plugin.json'), '{ "name": ');
    await expect(readPluginManifest(dir)).rejects.toMatchObject({
      code: 'PLUGIN_MANIFEST_INVALID',
      message: expect.stringContaining(`${join(dir, 'trellis.plugin.json')}:\n  - is not valid JSON`),
    });
  });

  it('lists every invalid field at once', async () => {
    await writeFile(
      join(dir, 'trellis.plugin.json'),
      JSON.stringify({
        name: 'Bad Name',
        version: 'one',
        platform: 'nope!',
        main: 3,
        dependencies: { x: 'zzz' },
      }),
    );
    const error = await readPluginManifest(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_MANIFEST_INVALID' });
    expect((error as { details: { problems: string[] } }).details.problems).toEqual([
      expect.stringContaining('"name"'),
      expect.stringContaining('"version"'),
      expect.stringContaining('"platform"'),
      expect.stringContaining('"main"'),
      expect.stringContaining('"dependencies.x"'),
    ]);
  });

  it('rejects a manifest that is not an object, and dependencies that are not a map', async () => {
    await writeFile(join(dir, 'trellis.plugin.json'), '[]');
    await expect(readPluginManifest(dir)).rejects.toMatchObject({
      message: expect.stringContaining('JSON object'),
    });
    await writeFile(
      join(dir, 'trellis.plugin.json'),
      JSON.stringify({ ...valid, optionalDependencies: ['a'] }),
    );
    await expect(readPluginManifest(dir)).rejects.toMatchObject({
      message: expect.stringContaining('"optionalDependencies" must map'),
    });
  });

  it('reports an unreadable manifest instead of treating the folder as empty', async () => {
    await mkdir(join(dir, 'trellis.plugin.json'));
    await expect(readPluginManifest(dir)).rejects.toMatchObject({
      code: 'PLUGIN_MANIFEST_INVALID',
      message: expect.stringContaining('cannot be read'),
    });
  });
});
