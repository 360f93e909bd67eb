// Installing, replacing and uninstalling plugins while the manager runs (what a plugin store's
// install, upgrade, rollback and uninstall do to the live set).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  definePlugin,
  EVENT_BUS,
  type Plugin,
  type PluginDefinition,
  type PluginManifest,
} from '@trellis/core';
import '../events/lifecycle-events.js';
import { PluginManager } from './plugin-manager.js';
import type { ManagedPluginInput, PluginManagerOptions } from './plugin-manager-options.js';

const calls: string[] = [];
afterEach(() => {
  calls.length = 0;
});

function plugin(label: string, extra: PluginDefinition = {}): Plugin {
  return definePlugin({
    start: () => void calls.push(`start ${label}`),
    stop: () => void calls.push(`stop ${label}`),
    ...extra,
  });
}

function input(
  name: string,
  version: string,
  code: Plugin,
  extra: Partial<PluginManifest> = {},
): ManagedPluginInput {
  return {
    manifest: { name, version, platform: '^0.1.0', ...extra },
    dir: `/store/${name}/${version}`,
    plugin: code,
  };
}

async function running(plugins: readonly ManagedPluginInput[], options: Partial<PluginManagerOptions> = {}) {
  const platform = createPlatform({ logLevel: 'silent' });
  const manager = new PluginManager({ container: platform.container, plugins, ...options });
  await manager.boot();
  calls.length = 0;
  return { manager, bus: platform.resolve(EVENT_BUS) };
}

describe('PluginManager live changes', () => {
  it('replaces a plugin with another version: dependents stop first and start again after it', async () => {
    const { manager, bus } = await running([
      input('db', '1.0.0', plugin('db@1')),
      input('api', '1.0.0', plugin('api'), { dependencies: { db: '^1.0.0' } }),
    ]);
    const hooks: string[] = [];
    manager.hooks.on(
      'beforeUpgrade',
      ({ plugin: p, from, to }) => void hooks.push(`before ${p} ${from}→${to}`),
    );
    manager.hooks.on('afterUpgrade', ({ outcome }) => void hooks.push(`after ${outcome}`));
    const operations: string[] = [];
    bus.on(
      'plugin.operation',
      (event) => void operations.push(`${event.operation} ${event.affected.join(',')}`),
    );
    const summary = await manager.replace('db', input('db', '1.1.0', plugin('db@1.1')));
    expect(summary).toMatchObject({ name: 'db', version: '1.1.0', state: 'active' });
    expect(calls).toEqual(['stop api', 'stop db@1', 'start db@1.1', 'start api']);
    expect(hooks).toEqual(['before db 1.0.0→1.1.0', 'after ok']);
    expect(operations).toEqual(['replace db,api']);
    expect(manager.get('api')?.state).toBe('active');
  });

  it('lets beforeUpgrade veto a replacement, touching nothing', async () => {
    const { manager } = await running([input('db', '1.0.0', plugin('db@1'))]);
    manager.hooks.on('beforeUpgrade', () => ({ veto: 'change freeze' }));
    await expect(manager.replace('db', input('db', '2.0.0', plugin('db@2')))).rejects.toMatchObject({
      code: 'PLUGIN_HOOK_VETOED',
    });
    expect(calls).toEqual([]);
    expect(manager.get('db')).toMatchObject({ version: '1.0.0', state: 'active' });
  });

  it('throws a new version’s start failure, and replacing back restores it and its dependents', async () => {
    const { manager } = await running([
      input('db', '1.0.0', plugin('db@1')),
      input('api', '1.0.0', plugin('api'), { dependencies: { db: '^1.0.0' } }),
    ]);
    const broken = plugin('db@1.1', { start: () => Promise.reject(new Error('schema mismatch')) });
    await expect(manager.replace('db', input('db', '1.1.0', broken))).rejects.toThrow('schema mismatch');
    expect(manager.get('db')).toMatchObject({ version: '1.1.0', state: 'failed' });
    expect(manager.get('api')?.state).toBe('failed');
    calls.length = 0;
    await manager.replace('db', input('db', '1.0.0', plugin('db@1')));
    expect(manager.get('db')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(manager.get('api')?.state).toBe('active');
    expect(calls).toEqual(['start db@1', 'start api']);
  });

  it('re-plans edges when a new version changes its dependencies', async () => {
    const { manager } = await running([input('a', '1.0.0', plugin('a')), input('b', '1.0.0', plugin('b'))]);
    await manager.replace('b', input('b', '2.0.0', plugin('b@2'), { dependencies: { a: '^1.0.0' } }));
    expect(manager.details('b').wave).toBeGreaterThan(manager.details('a').wave);
    calls.length = 0;
    await manager.stop('a');
    expect(calls).toEqual(['stop b@2', 'stop a']);
  });

  it('installs a plugin into the running set and starts plugins that waited for it', async () => {
    const { manager } = await running([
      input('reports', '1.0.0', plugin('reports'), { dependencies: { charts: '^2.0.0' } }),
    ]);
    expect(manager.get('reports')?.state).toBe('failed');
    await manager.install(input('charts', '2.1.0', plugin('charts')));
    expect(calls).toEqual(['start charts', 'start reports']);
    expect(manager.get('reports')?.state).toBe('active');
    await expect(manager.install(input('charts', '2.1.0', plugin('charts')))).rejects.toMatchObject({
      code: 'PLUGIN_MANAGER_STATE',
    });
  });

  it('registers an installed lazy plugin for its trigger instead of starting it', async () => {
    const { manager } = await running([]);
    await manager.install(input('lazy', '1.0.0', plugin('lazy'), { activation: ['onRoute:/lazy'] }));
    expect(manager.get('lazy')?.state).toBe('resolved');
    await manager.activate({ kind: 'route', value: '/lazy/x' });
    expect(manager.get('lazy')?.state).toBe('active');
  });

  it('uninstalls a plugin: dependents stop and stay disabled until it returns', async () => {
    const { manager, bus } = await running([
      input('db', '1.0.0', plugin('db')),
      input('api', '1.0.0', plugin('api'), { dependencies: { db: '^1.0.0' } }),
    ]);
    const transitions: string[] = [];
    bus.on('plugin.transition', (t) => void transitions.push(`${t.plugin} ${t.to}`));
    await manager.uninstall('db');
    expect(calls).toEqual(['stop api', 'stop db']);
    expect(transitions).toContain('db uninstalled');
    expect(manager.get('db')).toBeUndefined();
    expect(manager.get('api')?.state).toBe('failed');
    await manager.install(input('db', '1.0.0', plugin('db')));
    expect(manager.get('api')?.state).toBe('active');
  });

  it('gives each plugin its data folder, created on start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'trellis-data-dir-'));
    try {
      const writer = definePlugin({
        async start(ctx) {
          await writeFile(join(ctx.dataDir as string, 'state.txt'), 'kept');
        },
      });
      const { manager } = await running([input('writer', '1.0.0', writer)], {
        dataDir: (name) => join(root, name),
      });
      expect(manager.get('writer')?.state).toBe('active');
      expect(await readFile(join(root, 'writer', 'state.txt'), 'utf8')).toBe('kept');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses live changes before boot', async () => {
    const platform = createPlatform({ logLevel: 'silent' });
    const manager = new PluginManager({ container: platform.container, plugins: [] });
    await expect(manager.install(input('x', '1.0.0', plugin('x')))).rejects.toMatchObject({
      code: 'PLUGIN_MANAGER_STATE',
    });
  });
});
