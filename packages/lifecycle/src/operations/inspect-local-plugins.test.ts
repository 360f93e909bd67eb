import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { inspectLocalPlugins } from './inspect-local-plugins.js';

let root: string;

/** Writes `<root>/<folder>/package.json` declaring a plugin through its `trellis` field. */
async function plugin(
  folder: string,
  name: string,
  trellis: Record<string, unknown> = {},
  version = '1.0.0',
) {
  await mkdir(join(root, folder), { recursive: true });
  const manifest = { name, version, trellis: { platform: '^0.1.0', ...trellis } };
  await writeFile(join(root, folder, 'package.json'), JSON.stringify(manifest));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-inspect-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('inspectLocalPlugins', () => {
  it('reports each plugin with its wave, dependencies, dependents and manifest fields', async () => {
    await plugin('a', 'a');
    await plugin('b', 'b', {
      dependencies: { a: '^1.0.0' },
      isolation: 'worker',
      activation: ['onRoute:/b'],
      permissions: ['cache:write'],
      main: 'dist/index.js',
    });
    await plugin('scoped', '@acme/x', { optionalDependencies: { b: '^1.0.0' } });

    const report = await inspectLocalPlugins({ dir: root });

    expect(report.problems).toEqual([]);
    expect(report.waves).toEqual([['a'], ['b'], ['@acme/x']]);
    expect(report.plugins.map((p) => p.name)).toEqual(['@acme/x', 'a', 'b']);
    expect(report.plugins[2]).toEqual({
      name: 'b',
      version: '1.0.0',
      state: 'resolved',
      isolation: 'worker',
      activation: ['onRoute:/b'],
      wave: 1,
      dependencies: [{ name: 'a', range: '^1.0.0' }],
      optionalDependencies: [],
      dependents: ['@acme/x'],
      permissions: ['cache:write'],
      dir: join(root, 'b'),
      main: 'dist/index.js',
    });
    expect(report.plugins[1]).toMatchObject({ activation: 'eager', isolation: 'inline', dependents: ['b'] });
    expect(report.plugins[0]).toMatchObject({
      optionalDependencies: [{ name: 'b', range: '^1.0.0' }],
      wave: 2,
    });
  });

  it('marks disabled plugins with the reason, and reports bad manifests without throwing', async () => {
    await plugin('a', 'a', { dependencies: { ghost: '^1.0.0' } });
    await plugin('b', 'b', { dependencies: { a: '^1.0.0' } });
    await plugin('future', 'future', { platform: '^9.0.0' });
    await plugin('bad', 'bad', {}, 'not-a-version');
    await mkdir(join(root, 'own-manifest'));
    await writeFile(
      join(root, 'own-manifest', 'trellis.plugin.json'),
      JSON.stringify({ name: 'own', version: '2.0.0', platform: '^0.1.0' }),
    );

    const report = await inspectLocalPlugins({ dir: root });

    expect(report.problems).toEqual([
      {
        code: 'PLUGIN_MANIFEST_INVALID',
        message: expect.stringContaining(join(root, 'bad', 'package.json')),
      },
    ]);
    expect(report.waves).toEqual([['own']]);
    const byName = Object.fromEntries(report.plugins.map((p) => [p.name, p]));
    expect(byName.a).toMatchObject({
      state: 'disabled',
      wave: -1,
      disabled: { code: 'PLUGIN_DEPENDENCY_MISSING', message: expect.stringContaining('ghost') },
    });
    expect(byName.b?.disabled?.code).toBe('PLUGIN_DEPENDENCY_DISABLED');
    expect(byName.future?.disabled?.code).toBe('PLUGIN_PLATFORM_INCOMPATIBLE');
    expect(byName.own).toMatchObject({ state: 'resolved', version: '2.0.0', wave: 0 });
    expect(byName.own).not.toHaveProperty('disabled');
  });

  it('checks platform ranges against the version it is given', async () => {
    await plugin('future', 'future', { platform: '^9.0.0' });
    const report = await inspectLocalPlugins({ dir: root, platformVersion: '9.1.0' });
    expect(report.plugins[0]?.state).toBe('resolved');
  });

  it('reports an empty folder as no plugins', async () => {
    expect(await inspectLocalPlugins({ dir: root })).toEqual({
      plugins: [],
      problems: [],
      waves: [],
      warnings: [],
    });
  });

  it('passes on resolution warnings', async () => {
    await plugin('a', 'a');
    await plugin('b', 'b', { optionalDependencies: { a: '^2.0.0' } });
    const report = await inspectLocalPlugins({ dir: root });
    expect(report.warnings).toEqual([expect.stringContaining('a')]);
  });

  it.each([
    ['does not exist', () => join(root, 'missing')],
    ['is a file', () => join(root, 'file.txt')],
  ])('throws PLUGIN_SCAN_FAILED with a fix when the folder %s', async (_case, dirOf) => {
    await writeFile(join(root, 'file.txt'), '');
    const error = await inspectLocalPlugins({ dir: dirOf() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrellisError);
    expect(error).toMatchObject({
      code: 'PLUGIN_SCAN_FAILED',
      fix: expect.stringContaining('--dir'),
      details: { path: dirOf() },
    });
  });
});
