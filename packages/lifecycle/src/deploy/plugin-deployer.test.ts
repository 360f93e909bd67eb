import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AUDIT_LOG, type AuditRecord, createPlatform, EVENT_BUS } from '@trellis/core';
import '../events/lifecycle-events.js';
import type { PluginDeploymentEvent } from '../events/lifecycle-events.js';
import { PluginManager } from '../manager/plugin-manager.js';
import { PluginStore } from '../store/plugin-store.js';
import { PluginDeployer } from './plugin-deployer.js';
import { type TestPluginSpec, writeTestPlugin } from './store-test-plugins.js';

let root: string;
const managers: PluginManager[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-deployer-'));
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.shutdown()));
  await rm(root, { recursive: true, force: true });
});

const source = (spec: TestPluginSpec) => writeTestPlugin(join(root, 'sources'), spec);

/** A store with `installed` plugins, a running manager over it and a deployer. */
async function live(installed: readonly TestPluginSpec[]) {
  const store = await PluginStore.open(join(root, 'store'));
  const offline = new PluginDeployer({ store });
  for (const spec of installed) await offline.install(await source(spec));
  const platform = createPlatform({ logLevel: 'silent' });
  const audit: AuditRecord[] = [];
  platform.container.register(AUDIT_LOG, {
    useValue: { record: async (entry: AuditRecord) => void audit.push(entry) },
  });
  const { inputs } = await store.managedInputs();
  const manager = new PluginManager({
    container: platform.container,
    plugins: inputs,
    dataDir: (name) => store.layout.data(name),
  });
  managers.push(manager);
  await manager.boot();
  const events: PluginDeploymentEvent[] = [];
  platform.resolve(EVENT_BUS).on('plugin.deployment', (event) => void events.push(event));
  const deployer = new PluginDeployer({
    store,
    manager,
    container: platform.container,
    gate: { timeoutMs: 500, intervalMs: 20 },
  });
  return { store, manager, deployer, events, audit };
}

describe('PluginDeployer', () => {
  it('upgrades live with a dependent: backup, switch, gate passed, audited and published', async () => {
    const { store, manager, deployer, events, audit } = await live([
      { name: 'db', version: '1.0.0' },
      { name: 'api', version: '1.0.0', dependencies: { db: '^1.0.0' } },
    ]);
    const result = await deployer.upgrade(
      'db',
      { source: await source({ name: 'db', version: '1.2.0' }) },
      { actor: { id: 'ana', via: 'cli' } },
    );
    expect(result).toMatchObject({
      operation: 'upgrade',
      plugin: 'db',
      from: '1.0.0',
      to: '1.2.0',
      gate: 'passed',
    });
    expect(manager.get('db')).toMatchObject({ version: '1.2.0', state: 'active' });
    expect(manager.get('api')?.state).toBe('active');
    expect(store.get('db')).toMatchObject({
      active: '1.2.0',
      previous: '1.0.0',
      versions: ['1.0.0', '1.2.0'],
    });
    expect(events.at(-1)).toMatchObject({
      operation: 'upgrade',
      from: '1.0.0',
      to: '1.2.0',
      actor: 'ana',
      outcome: 'success',
    });
    expect(audit.at(-1)).toMatchObject({
      action: 'plugin.upgrade',
      actor: 'ana',
      target: 'db',
      outcome: 'success',
      details: { from: '1.0.0', to: '1.2.0', via: 'cli' },
    });
    expect(await readdir(store.layout.journals)).toEqual([]);
  });

  it('rolls back code, config and data when the new version fails its health gate', async () => {
    const { store, manager, deployer, events } = await live([{ name: 'notes', version: '1.0.0' }]);
    await store.writeConfig('notes', { version: 1, pageSize: 10 });
    // Written by the test, not by 1.0.0's start: only a restore can bring it back.
    await writeFile(join(store.layout.data('notes'), 'format.txt'), 'v1');
    const broken = await source({ name: 'notes', version: '2.0.0', writesFormat: 'v2', health: 'fail' });
    const error = await deployer
      .upgrade('notes', { source: broken, config: { version: 1, pageSize: 99 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PLUGIN_HEALTH_GATE_FAILED',
      details: { rolledBack: true, from: '1.0.0', to: '2.0.0' },
    });
    expect(manager.get('notes')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(store.get('notes')?.active).toBe('1.0.0');
    expect(await readFile(join(store.layout.data('notes'), 'format.txt'), 'utf8')).toBe('v1');
    expect(await store.readConfig('notes')).toEqual({ version: 1, pageSize: 10 });
    expect(events.at(-1)).toMatchObject({ operation: 'upgrade', outcome: 'rolled-back' });
  });

  it('rolls back when the new version does not even start', async () => {
    const { store, manager, deployer } = await live([{ name: 'a', version: '1.0.0' }]);
    const error = await deployer
      .upgrade('a', { source: await source({ name: 'a', version: '1.1.0', failsStart: true }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_HEALTH_GATE_FAILED' });
    expect((error as Error).message).toContain('cannot start');
    expect(manager.get('a')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(store.get('a')?.active).toBe('1.0.0');
  });

  it('refuses a downgrade below a dependent’s range, naming the dependent, and changes nothing', async () => {
    const { store, deployer } = await live([
      { name: 'db', version: '2.1.0' },
      { name: 'api', version: '1.0.0', dependencies: { db: '^2.0.0' } },
    ]);
    const error = await deployer
      .downgrade('db', { source: await source({ name: 'db', version: '1.9.0' }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_INCOMPATIBLE' });
    expect((error as Error).message).toContain(
      '"api" 1.0.0 depends on "db" ^2.0.0, which 1.9.0 does not satisfy',
    );
    expect(store.get('db')).toMatchObject({ active: '2.1.0', versions: ['2.1.0'] });
    expect(await readdir(store.layout.tmp).catch(() => [])).toEqual([]);
  });

  it('refuses an upgrade to an older version and a downgrade to a newer one', async () => {
    const { deployer } = await live([{ name: 'a', version: '1.5.0' }]);
    const older = await source({ name: 'a', version: '1.0.0' });
    await expect(deployer.upgrade('a', { source: older })).rejects.toThrow('use downgrade');
    const newer = await source({ name: 'a', version: '2.0.0' });
    await expect(deployer.downgrade('a', { source: newer })).rejects.toThrow('use upgrade');
  });

  it('rolls back by hand to the previous version with the data it had, and can roll that back', async () => {
    const { store, manager, deployer } = await live([{ name: 'n', version: '1.0.0' }]);
    await writeFile(join(store.layout.data('n'), 'notes.txt'), 'written by 1.0.0');
    await deployer.upgrade('n', { source: await source({ name: 'n', version: '1.1.0' }) });
    await writeFile(join(store.layout.data('n'), 'notes.txt'), 'written by 1.1.0');
    await deployer.rollback('n');
    expect(manager.get('n')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(await readFile(join(store.layout.data('n'), 'notes.txt'), 'utf8')).toBe('written by 1.0.0');
    await deployer.rollback('n');
    expect(manager.get('n')?.version).toBe('1.1.0');
    expect(await readFile(join(store.layout.data('n'), 'notes.txt'), 'utf8')).toBe('written by 1.1.0');
  });

  it('refuses a rollback with nothing to return to', async () => {
    const { deployer } = await live([{ name: 'fresh', version: '1.0.0' }]);
    await expect(deployer.rollback('fresh')).rejects.toMatchObject({ code: 'PLUGIN_ROLLBACK_UNAVAILABLE' });
  });

  it('downgrades to a version held in the store', async () => {
    const { manager, deployer } = await live([{ name: 'a', version: '1.0.0' }]);
    await deployer.upgrade('a', { source: await source({ name: 'a', version: '2.0.0' }) });
    await deployer.downgrade('a', { version: '1.0.0' });
    expect(manager.get('a')?.version).toBe('1.0.0');
    await expect(deployer.upgrade('a', { version: '3.0.0' })).rejects.toMatchObject({
      code: 'PLUGIN_VERSION_NOT_IN_STORE',
    });
  });

  it('installs, disables, enables, changes isolation and uninstalls live', async () => {
    const { store, manager, deployer } = await live([]);
    await deployer.install(await source({ name: 'x', version: '1.0.0' }));
    expect(manager.get('x')?.state).toBe('active');
    await expect(deployer.install(await source({ name: 'x', version: '1.1.0' }))).rejects.toMatchObject({
      code: 'PLUGIN_ALREADY_INSTALLED',
    });
    await deployer.setEnabled('x', false);
    expect(manager.get('x')).toBeUndefined();
    await deployer.setEnabled('x', true);
    expect(manager.get('x')?.state).toBe('active');
    await deployer.setIsolation('x', 'worker');
    expect(manager.get('x')).toMatchObject({ isolation: 'worker', state: 'active' });
    await deployer.uninstall('x');
    expect(manager.get('x')).toBeUndefined();
    expect(store.get('x')).toBeUndefined();
    expect(await readdir(store.layout.trash('x'))).toHaveLength(1);
    expect((await store.prune()).trash).toBe(1);
  });

  it('refuses to install a plugin whose required dependency is missing', async () => {
    const { store, deployer } = await live([]);
    const error = await deployer
      .install(await source({ name: 'api', version: '1.0.0', dependencies: { db: '^1.0.0' } }))
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('it requires "db" ^1.0.0, which is not installed');
    expect(store.get('api')).toBeUndefined();
  });

  it('switches offline and leaves the gate to the next start, which rolls back a failing version', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    const offline = new PluginDeployer({ store });
    await offline.install(await source({ name: 'w', version: '1.0.0' }));
    const result = await offline.upgrade('w', {
      source: await source({ name: 'w', version: '1.1.0', health: 'fail' }),
    });
    expect(result.gate).toBe('pending');
    // The next start: the store opens with the switch kept, the host boots 1.1.0, the gate fails.
    const reopened = await PluginStore.open(join(root, 'store'));
    expect(reopened.get('w')).toMatchObject({ active: '1.1.0', gatePending: true });
    const platform = createPlatform({ logLevel: 'silent' });
    const manager = new PluginManager({
      container: platform.container,
      plugins: (await reopened.managedInputs()).inputs,
    });
    managers.push(manager);
    await manager.boot();
    const deployer = new PluginDeployer({
      store: reopened,
      manager,
      gate: { timeoutMs: 200, intervalMs: 20 },
    });
    expect(await deployer.runPendingGates()).toEqual([{ plugin: 'w', passed: false }]);
    expect(manager.get('w')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(reopened.get('w')?.active).toBe('1.0.0');
  });
});

describe('PluginDeployer and config versions', () => {
  const MIGRATES_TTL = `configVersion: 2,
  configMigrations: [{ from: 1, to: 2, description: 'ttl (s) becomes ttlMs', migrate: (doc) => ({ ttlMs: doc.ttl * 1000 }) }],`;

  it.each(['inline', 'process'] as const)(
    'brings the stored config through the new version’s migration chain (%s), and a rollback gives the old code the old document',
    async (isolation) => {
      const { store, deployer } = await live([
        { name: 'cache', version: '1.0.0', writesConfig: true, isolation },
      ]);
      await store.writeConfig('cache', { ttl: 5 });
      await deployer.upgrade('cache', {
        source: await source({
          name: 'cache',
          version: '2.0.0',
          writesConfig: true,
          definition: MIGRATES_TTL,
          isolation,
        }),
      });
      expect(JSON.parse(await readFile(join(store.layout.data('cache'), 'config.json'), 'utf8'))).toEqual({
        ttlMs: 5000,
      });
      // The stored document keeps the shape its writer used: each load migrates it.
      expect(await store.readConfig('cache')).toEqual({ ttl: 5 });
      await deployer.rollback('cache');
      expect(JSON.parse(await readFile(join(store.layout.data('cache'), 'config.json'), 'utf8'))).toEqual({
        ttl: 5,
      });
    },
  );

  it('refuses an upgrade whose config migration fails, without stopping the running version', async () => {
    const { manager, deployer, store } = await live([{ name: 'cache', version: '1.0.0' }]);
    await store.writeConfig('cache', { ttl: 5 });
    const broken = `configVersion: 3,
  configMigrations: [{ from: 1, to: 2, description: 'x', migrate: () => { throw new Error('ttl must be a number of seconds'); } }],`;
    const error = await deployer
      .upgrade('cache', { source: await source({ name: 'cache', version: '2.0.0', definition: broken }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID' });
    expect((error as Error).message).toContain('migration 1→2 failed: ttl must be a number of seconds');
    expect(manager.get('cache')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(manager.history('cache').map((t) => t.to)).not.toContain('stopping');
    expect(store.get('cache')?.active).toBe('1.0.0');
  });

  it('refuses a document newer than the code reads, naming both versions', async () => {
    const { deployer, store } = await live([{ name: 'cache', version: '1.0.0' }]);
    await store.writeConfig('cache', { version: 5, ttlMs: 1 });
    const error = await deployer
      .upgrade('cache', {
        source: await source({ name: 'cache', version: '2.0.0', definition: MIGRATES_TTL }),
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      'its config is version 5, newer than this version of the plugin reads (2)',
    );
  });
});

describe('PluginDeployer with a new config document', () => {
  it('switches the config with the version, and a failed gate restores the previous document', async () => {
    const { store, deployer, manager } = await live([{ name: 'svc', version: '1.0.0', writesConfig: true }]);
    await store.writeConfig('svc', { mode: 'old' });
    await deployer.upgrade('svc', {
      source: await source({ name: 'svc', version: '1.1.0', writesConfig: true }),
      config: { mode: 'new' },
    });
    expect(await store.readConfig('svc')).toEqual({ mode: 'new' });
    expect(JSON.parse(await readFile(join(store.layout.data('svc'), 'config.json'), 'utf8'))).toEqual({
      mode: 'new',
    });

    const failing = await source({ name: 'svc', version: '1.2.0', writesConfig: true, health: 'fail' });
    await expect(
      deployer.upgrade('svc', { source: failing, config: { mode: 'newer' } }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_HEALTH_GATE_FAILED',
    });
    expect(await store.readConfig('svc')).toEqual({ mode: 'new' });
    expect(manager.get('svc')?.version).toBe('1.1.0');
    // The version that runs again was handed the restored document.
    expect(JSON.parse(await readFile(join(store.layout.data('svc'), 'config.json'), 'utf8'))).toEqual({
      mode: 'new',
    });
  });
});
