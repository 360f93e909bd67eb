import { describe, expect, it } from '@jest/globals';
import {
  AUDIT_LOG,
  type AuditRecord,
  createPlatform,
  createToken,
  currentPluginScope,
  definePlugin,
  EVENT_BUS,
  type Plugin,
  type PluginDefinition,
  type PluginManifest,
  TrellisError,
} from '@trellis/core';
import '../events/lifecycle-events.js';
import type { PluginInstance, PluginRuntime, RuntimeExit } from '../runtime/plugin-runtime.js';
import { PluginManager } from './plugin-manager.js';
import type { ManagedPluginInput, PluginManagerOptions } from './plugin-manager-options.js';

const SECRET = createToken<{ value: string }>('@acme/vault.Secret');

function manifest(name: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { name, version: '1.0.0', platform: '^0.1.0', ...extra };
}

/** A recording of every hook call of every plugin, in order. */
function journal() {
  const calls: string[] = [];
  const plugin = (name: string, extra: PluginDefinition = {}): Plugin =>
    definePlugin({
      setup: () => void calls.push(`setup ${name}`),
      start: () => void calls.push(`start ${name}`),
      stop: () => void calls.push(`stop ${name}`),
      ...extra,
    });
  return { calls, plugin };
}

function input(name: string, plugin: Plugin, extra: Partial<PluginManifest> = {}): ManagedPluginInput {
  return { manifest: manifest(name, extra), dir: `/plugins/${name}`, plugin };
}

function setup(plugins: readonly ManagedPluginInput[], options: Partial<PluginManagerOptions> = {}) {
  const platform = createPlatform({ logLevel: 'silent' });
  const manager = new PluginManager({ container: platform.container, plugins, ...options });
  const bus = platform.resolve(EVENT_BUS);
  return { platform, manager, bus };
}

async function rejectionOf(promise: Promise<unknown>): Promise<TrellisError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrellisError) return error;
    throw error;
  }
  throw new Error('the promise resolved');
}

/** A runtime whose instances the test controls: it can make one die. */
function controllableRuntime() {
  const exits: ((exit: RuntimeExit) => void)[] = [];
  const runtime: PluginRuntime = {
    kind: 'worker',
    async load() {
      const instance: PluginInstance = {
        kind: 'worker',
        has: () => false,
        call: async () => undefined,
        health: async () => ({ status: 'pass' }),
        abort: () => undefined,
        dispose: async () => undefined,
        onExit(listener) {
          exits.push(listener);
          return { dispose: () => undefined };
        },
        stats: () => ({ kind: 'worker' }),
      };
      return instance;
    },
  };
  return { runtime, kill: (exit: RuntimeExit) => exits.at(-1)?.(exit) };
}

describe('PluginManager', () => {
  describe('boot', () => {
    it('starts dependencies before dependents, wave by wave, and reports every plugin', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('app', plugin('app'), { dependencies: { db: '^1.0.0', auth: '^1.0.0' } }),
        input('auth', plugin('auth'), { dependencies: { db: '^1.0.0' } }),
        input('db', plugin('db')),
      ]);
      const report = await manager.boot();
      expect(calls).toEqual(['setup db', 'start db', 'setup auth', 'start auth', 'setup app', 'start app']);
      expect(report.waves).toEqual([['db'], ['auth'], ['app']]);
      expect(report.counts).toMatchObject({ active: 3, failed: 0 });
      expect(report.ready).toBe(true);
      expect(report.plugins.find((p) => p.name === 'app')).toMatchObject({ wave: 2, outcome: 'active' });
      expect(manager.state).toBe('running');
      expect(manager.list().map((p) => [p.name, p.state])).toEqual([
        ['db', 'active'],
        ['auth', 'active'],
        ['app', 'active'],
      ]);
    });

    it('starts at most `concurrency` plugins of a wave at once', async () => {
      let running = 0;
      let peak = 0;
      const slow = definePlugin({
        async start() {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
        },
      });
      const plugins = Array.from({ length: 12 }, (_, i) => input(`p${i}`, slow));
      const { manager } = setup(plugins, { concurrency: 3 });
      const report = await manager.boot();
      expect(report.counts.active).toBe(12);
      expect(peak).toBe(3);
    });

    it('fails a plugin whose start hangs at its deadline and goes on without it', async () => {
      const { plugin } = journal();
      const { manager } = setup(
        [
          input('stuck', definePlugin({ start: () => new Promise(() => undefined) })),
          input('fine', plugin('fine')),
        ],
        { policies: { stuck: { timeouts: { startMs: 30 } } } },
      );
      const report = await manager.boot();
      expect(report.plugins.find((p) => p.name === 'stuck')).toMatchObject({
        outcome: 'failed',
        error: { code: 'PLUGIN_HOOK_TIMEOUT' },
      });
      expect(manager.get('fine')?.state).toBe('active');
      expect(manager.get('stuck')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_HOOK_TIMEOUT' } });
    });

    it('skips the plugins that require a failed one, naming it, and keeps the others', async () => {
      const { plugin } = journal();
      const broken = definePlugin({
        setup() {
          throw new Error('no database');
        },
      });
      const { manager } = setup([
        input('db', broken),
        input('orders', plugin('orders'), { dependencies: { db: '^1.0.0' } }),
        input('metrics', plugin('metrics'), { optionalDependencies: { db: '^1.0.0' } }),
      ]);
      const report = await manager.boot();
      const orders = report.plugins.find((p) => p.name === 'orders');
      expect(orders).toMatchObject({ outcome: 'skipped', error: { code: 'PLUGIN_DEPENDENCY_DISABLED' } });
      expect(orders?.error?.message).toContain('db');
      expect(report.plugins.find((p) => p.name === 'db')?.error?.message).toContain('no database');
      expect(manager.get('metrics')?.state).toBe('active');
    });

    it('reports plugins dependency resolution disabled, with the reason', async () => {
      const { plugin } = journal();
      const { manager } = setup([input('orphan', plugin('orphan'), { dependencies: { ghost: '^1.0.0' } })]);
      const report = await manager.boot();
      expect(report.plugins[0]).toMatchObject({
        outcome: 'disabled',
        wave: -1,
        error: { code: 'PLUGIN_DEPENDENCY_MISSING' },
      });
      expect(manager.get('orphan')?.state).toBe('failed');
    });

    it('aborts the boot when a plugin with policy abort fails, stopping what had started', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup(
        [
          input('base', plugin('base')),
          input('payments', definePlugin({ start: () => Promise.reject(new Error('card network down')) }), {
            dependencies: { base: '^1.0.0' },
          }),
          input('late', plugin('late'), { dependencies: { payments: '^1.0.0' } }),
        ],
        { policies: { payments: { failure: 'abort' } } },
      );
      const error = await rejectionOf(manager.boot());
      expect(error.code).toBe('PLUGIN_BOOT_ABORTED');
      expect(error.message).toContain('"payments"');
      expect(error.message).toContain('card network down');
      expect((error.details as { report: { aborted: { plugin: string } } }).report.aborted.plugin).toBe(
        'payments',
      );
      expect(calls).toEqual(['setup base', 'start base', 'stop base']);
      expect(manager.state).toBe('stopped');
    });

    it('is not ready while a critical plugin is down', async () => {
      const { plugin } = journal();
      const { manager } = setup(
        [
          input('core-db', definePlugin({ start: () => Promise.reject(new Error('down')) })),
          input('ok', plugin('ok')),
        ],
        { policies: { 'core-db': { critical: true } } },
      );
      const report = await manager.boot();
      expect(report.ready).toBe(false);
      expect(manager.isReady()).toBe(false);
    });

    it('tells the health period and timeout its manifest asks for in the plugin summary', async () => {
      const { plugin } = journal();
      const { manager } = setup([
        input('timed', plugin('timed'), { health: { intervalMs: 30_000, timeoutMs: 250 } }),
        input('plain', plugin('plain')),
      ]);
      await manager.boot();
      expect(manager.get('timed')).toMatchObject({ healthIntervalMs: 30_000, healthTimeoutMs: 250 });
      expect(manager.get('plain')).not.toHaveProperty('healthIntervalMs');
    });

    it('refuses a second boot', async () => {
      const { manager } = setup([]);
      await manager.boot();
      expect((await rejectionOf(manager.boot())).code).toBe('PLUGIN_MANAGER_STATE');
    });

    it('publishes every transition with its timing, and a booted summary', async () => {
      const { plugin } = journal();
      const { manager, bus } = setup([input('a', plugin('a'))]);
      const transitions: string[] = [];
      let booted: unknown;
      bus.on('plugin.transition', (t) => void transitions.push(`${t.plugin} ${t.from}→${t.to}`));
      bus.on('plugins.booted', (summary) => {
        booted = summary;
      });
      await manager.boot();
      expect(transitions).toEqual(['a resolved→starting', 'a starting→active']);
      expect(booted).toMatchObject({ active: 1, failed: 0, ready: true });
    });
  });

  it('runs inline hooks in the plugin scope, so a watchdog can name whose code runs', async () => {
    let seen: string | undefined;
    const { manager } = setup([
      input(
        'scoped',
        definePlugin({
          start: () =>
            new Promise<void>((resolve) =>
              setTimeout(() => {
                seen = currentPluginScope();
                resolve();
              }, 1),
            ),
        }),
      ),
    ]);
    await manager.boot();
    expect(seen).toBe('scoped');
    expect(currentPluginScope()).toBeUndefined();
  });

  describe('permissions', () => {
    it('fails a plugin that resolves a service it was not granted, with a clear error', async () => {
      const { platform, manager } = (() => {
        const greedy = definePlugin({
          setup: (ctx) => void ctx.resolve(SECRET),
        });
        return setup([input('greedy', greedy)]);
      })();
      platform.container.register(SECRET, { useValue: { value: 's3cret' } });
      const report = await manager.boot();
      const record = report.plugins[0];
      expect(record?.error?.code).toBe('PLUGIN_PERMISSION_DENIED');
      expect(record?.error?.message).toContain('service:resolve:@acme/vault.Secret');
    });

    it('lets a plugin resolve what its manifest asks for and the policy grants', async () => {
      let seen: string | undefined;
      const reader = definePlugin({
        setup(ctx) {
          seen = ctx.resolve(SECRET).value;
        },
      });
      const { platform, manager } = setup([
        input('reader', reader, { permissions: ['service:resolve:@acme/vault.Secret'] }),
      ]);
      platform.container.register(SECRET, { useValue: { value: 's3cret' } });
      await manager.boot();
      expect(seen).toBe('s3cret');
    });

    it('grants what the policy says, not what the manifest asks for', async () => {
      const reader = definePlugin({ setup: (ctx) => void ctx.resolve(SECRET) });
      const { platform, manager, bus } = setup(
        [input('reader', reader, { permissions: ['service:resolve:@acme/vault.Secret'] })],
        { policies: { reader: { granted: [] } } },
      );
      const denied: unknown[] = [];
      bus.on('plugin.permission-denied', (event) => void denied.push(event));
      platform.container.register(SECRET, { useValue: { value: 's3cret' } });
      await manager.boot();
      expect(manager.get('reader')?.error?.code).toBe('PLUGIN_PERMISSION_DENIED');
      expect(denied).toEqual([
        { plugin: 'reader', service: '@acme/vault.Secret', permission: 'service:resolve:@acme/vault.Secret' },
      ]);
    });
  });

  describe('shutdown and operations', () => {
    it('stops dependents before their dependencies', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('db', plugin('db')),
        input('auth', plugin('auth'), { dependencies: { db: '^1.0.0' } }),
        input('app', plugin('app'), { dependencies: { auth: '^1.0.0' } }),
        input('side', plugin('side'), { dependencies: { db: '^1.0.0' } }),
      ]);
      await manager.boot();
      calls.length = 0;
      await manager.shutdown();
      expect(calls.indexOf('stop app')).toBeLessThan(calls.indexOf('stop auth'));
      expect(calls.indexOf('stop auth')).toBeLessThan(calls.indexOf('stop db'));
      expect(calls.indexOf('stop side')).toBeLessThan(calls.indexOf('stop db'));
      expect(manager.list().every((p) => p.state === 'stopped')).toBe(true);
      expect(manager.state).toBe('stopped');
      await manager.shutdown();
    });

    it('aborts the plugin signal before calling stop', async () => {
      let abortedAtStop: boolean | undefined;
      const watcher = definePlugin({
        stop(ctx) {
          abortedAtStop = ctx.signal.aborted;
        },
      });
      const { manager } = setup([input('watcher', watcher)]);
      await manager.boot();
      await manager.shutdown();
      expect(abortedAtStop).toBe(true);
    });

    it('fails a plugin whose stop hangs, and still stops the rest', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup(
        [
          input('base', plugin('base')),
          input('sticky', definePlugin({ stop: () => new Promise(() => undefined) }), {
            dependencies: { base: '^1.0.0' },
          }),
        ],
        { timeouts: { stopMs: 30 } },
      );
      await manager.boot();
      await manager.shutdown();
      expect(manager.get('sticky')).toMatchObject({
        state: 'failed',
        error: { code: 'PLUGIN_HOOK_TIMEOUT' },
      });
      expect(calls).toContain('stop base');
    });

    it('restarts a plugin with its dependents, stopping them first and starting them after', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('db', plugin('db')),
        input('auth', plugin('auth'), { dependencies: { db: '^1.0.0' } }),
        input('app', plugin('app'), { dependencies: { auth: '^1.0.0' } }),
        input('other', plugin('other')),
      ]);
      await manager.boot();
      calls.length = 0;
      const summary = await manager.restart('db');
      expect(summary.state).toBe('active');
      expect(calls).toEqual([
        'stop app',
        'stop auth',
        'stop db',
        'setup db',
        'start db',
        'setup auth',
        'start auth',
        'setup app',
        'start app',
      ]);
    });

    it('restarts only the plugin itself when asked to', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('db', plugin('db')),
        input('auth', plugin('auth'), { dependencies: { db: '^1.0.0' } }),
      ]);
      await manager.boot();
      calls.length = 0;
      await manager.restart('db', { withDependents: false });
      expect(calls).toEqual(['stop db', 'setup db', 'start db']);
    });

    it('stops a plugin with its dependents and starts it again with what it requires', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('db', plugin('db')),
        input('auth', plugin('auth'), { dependencies: { db: '^1.0.0' } }),
      ]);
      await manager.boot();
      calls.length = 0;
      await manager.stop('db');
      expect(calls).toEqual(['stop auth', 'stop db']);
      calls.length = 0;
      await manager.start('auth');
      expect(calls).toEqual(['setup db', 'start db', 'setup auth', 'start auth']);
    });

    it('audits operations with who asked, what happened and the result, and publishes them', async () => {
      const { plugin } = journal();
      const { platform, manager, bus } = setup([input('db', plugin('db'))]);
      const operations: unknown[] = [];
      bus.on('plugin.operation', (event) => void operations.push(event));
      await manager.boot();
      await manager.restart('db', { actor: { id: 'alice', via: 'cli' } });
      const records: readonly AuditRecord[] = await platform.resolve(AUDIT_LOG).query({ actor: 'alice' });
      expect(records).toEqual([
        expect.objectContaining({
          action: 'plugin.restart',
          actor: 'alice',
          target: 'db',
          outcome: 'success',
          details: expect.objectContaining({ via: 'cli', affected: ['db'] }),
        }),
      ]);
      expect(operations).toEqual([
        expect.objectContaining({ operation: 'restart', plugin: 'db', actor: 'alice', outcome: 'success' }),
      ]);
    });

    it('audits a vetoed stop as denied and leaves the plugin running', async () => {
      const { plugin } = journal();
      const { platform, manager } = setup([input('db', plugin('db'))]);
      manager.hooks.on('beforeStop', () => ({ veto: 'maintenance window closed' }), {
        name: 'change-freeze',
      });
      await manager.boot();
      const error = await rejectionOf(manager.stop('db', { actor: { id: 'bob' } }));
      expect(error.code).toBe('PLUGIN_HOOK_VETOED');
      expect(error.message).toContain('maintenance window closed');
      expect(manager.get('db')?.state).toBe('active');
      const [record] = await platform.resolve(AUDIT_LOG).query({ actor: 'bob' });
      expect(record).toMatchObject({ action: 'plugin.stop', outcome: 'denied' });
    });

    it('lets a beforeStart hook veto a plugin at boot', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([input('db', plugin('db'))]);
      manager.hooks.on('beforeStart', ({ plugin: name }) =>
        name === 'db' ? { veto: 'not today' } : undefined,
      );
      await manager.boot();
      expect(calls).toEqual([]);
      expect(manager.get('db')?.state).toBe('resolved');
      expect(manager.report?.plugins[0]?.error?.code).toBe('PLUGIN_HOOK_VETOED');
    });

    it('names an unknown plugin', async () => {
      const { manager } = setup([]);
      await manager.boot();
      expect((await rejectionOf(manager.stop('nope'))).code).toBe('PLUGIN_NOT_FOUND');
      expect(manager.get('nope')).toBeUndefined();
    });

    it('refuses operations once stopping', async () => {
      const { plugin } = journal();
      const { manager } = setup([input('db', plugin('db'))]);
      await manager.boot();
      await manager.shutdown();
      expect((await rejectionOf(manager.start('db'))).code).toBe('PLUGIN_MANAGER_STATE');
    });
  });

  describe('lazy plugins', () => {
    it('starts a lazy plugin, with its lazy dependency, on its first trigger', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('reports', plugin('reports'), {
          activation: ['onEvent:report.requested'],
          dependencies: { pdf: '^1.0.0' },
        }),
        input('pdf', plugin('pdf'), { activation: ['onCommand:pdf.render'] }),
      ]);
      const report = await manager.boot();
      expect(calls).toEqual([]);
      expect(report.counts.lazy).toBe(2);
      expect(manager.pendingActivations().sort()).toEqual(['pdf', 'reports']);
      await expect(manager.activate({ kind: 'event', value: 'report.requested' })).resolves.toEqual([
        'reports',
      ]);
      expect(calls).toEqual(['setup pdf', 'start pdf', 'setup reports', 'start reports']);
    });

    it('activates a lazy plugin again on its next trigger after an operator stopped it', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([input('pdf', plugin('pdf'), { activation: ['onCommand:pdf.render'] })]);
      await manager.boot();
      await manager.activate({ kind: 'command', value: 'pdf.render' });
      await manager.stop('pdf');
      expect(manager.get('pdf')?.state).toBe('stopped');
      expect(manager.pendingActivations()).toEqual(['pdf']);
      await expect(manager.activate({ kind: 'command', value: 'pdf.render' })).resolves.toEqual(['pdf']);
      expect(calls).toEqual(['setup pdf', 'start pdf', 'stop pdf', 'setup pdf', 'start pdf']);
    });

    it('starts a lazy plugin at boot when an eager one depends on it', async () => {
      const { calls, plugin } = journal();
      const { manager } = setup([
        input('pdf', plugin('pdf'), { activation: ['onCommand:pdf.render'] }),
        input('invoices', plugin('invoices'), { dependencies: { pdf: '^1.0.0' } }),
      ]);
      await manager.boot();
      expect(calls).toEqual(['setup pdf', 'start pdf', 'setup invoices', 'start invoices']);
    });
  });

  describe('isolated plugins dying', () => {
    it('marks a plugin whose runtime died failed and publishes why', async () => {
      const { runtime, kill } = controllableRuntime();
      const { manager, bus } = setup(
        [{ manifest: manifest('w', { isolation: 'worker' }), dir: '/plugins/w' }],
        {
          runtimes: { worker: runtime },
        },
      );
      const exits: unknown[] = [];
      bus.on('plugin.exited', (event) => void exits.push(event));
      await manager.boot();
      expect(manager.get('w')?.state).toBe('active');
      kill({ reason: 'oom', detail: 'heap limit 16 MB reached' });
      expect(manager.get('w')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_RUNTIME_EXITED' } });
      expect(exits).toEqual([
        { plugin: 'w', isolation: 'worker', reason: 'oom', detail: 'heap limit 16 MB reached' },
      ]);
      const health = await manager.health('w');
      expect(health.status).toBe('fail');
      expect(health.message).toContain('ran out of memory');
      await manager.restart('w');
      expect(manager.get('w')?.state).toBe('active');
    });
  });

  describe('kill', () => {
    it('fails a running plugin as a crash would, publishing why, and leaves others alone', async () => {
      const { calls, plugin } = journal();
      const { manager, bus } = setup([input('a', plugin('a')), input('b', plugin('b'))]);
      const exits: unknown[] = [];
      bus.on('plugin.exited', (event) => void exits.push(event));
      await manager.boot();
      manager.kill('a', 'chaos drill');
      manager.kill('a');
      expect(manager.get('a')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_RUNTIME_EXITED' } });
      expect(manager.get('b')?.state).toBe('active');
      expect(exits).toEqual([{ plugin: 'a', isolation: 'inline', reason: 'killed', detail: 'chaos drill' }]);
      expect(calls).not.toContain('stop a');
      await expect(manager.restart('a')).resolves.toMatchObject({ state: 'active' });
    });
  });

  describe('health', () => {
    it("runs an active plugin's health hook within its deadline", async () => {
      const { manager } = setup(
        [
          input('ok', definePlugin({ health: () => ({ status: 'warn', message: 'slow disk' }) })),
          input('slow', definePlugin({ health: () => new Promise(() => undefined) })),
        ],
        { timeouts: { healthMs: 30 } },
      );
      await manager.boot();
      await expect(manager.health('ok')).resolves.toMatchObject({ status: 'warn', message: 'slow disk' });
      await expect(manager.health('slow')).resolves.toMatchObject({ status: 'fail' });
    });
  });

  describe('options', () => {
    it('lists every invalid option', () => {
      const platform = createPlatform({ logLevel: 'silent' });
      let error: unknown;
      try {
        new PluginManager({
          container: platform.container,
          plugins: [],
          concurrency: 0,
          policies: { a: { failure: 'explode' as never } },
        });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'PLUGIN_MANAGER_OPTIONS_INVALID' });
      expect((error as Error).message).toContain('concurrency');
      expect((error as Error).message).toContain('policies.a.failure');
    });
  });
});
