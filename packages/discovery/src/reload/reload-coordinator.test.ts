import { describe, expect, it, jest } from '@jest/globals';
import { definePlugin, ManualClock, type Plugin } from '@trellis/core';
import { PluginLoadError } from '../errors.js';
import type { LoadResult } from '../load/load-plugin-entry.js';
import { ReloadCoordinator, type ReloadHost } from './reload-coordinator.js';

// a ← b, a ← c, b ← d, c ← d; e is independent.
const DEPENDENTS: Readonly<Record<string, readonly string[]>> = { a: ['b', 'c'], b: ['d'], c: ['d'] };
const START_ORDER = ['a', 'b', 'c', 'd', 'e'];

interface FakeHost extends ReloadHost {
  readonly calls: string[];
  readonly plugins: Map<string, Plugin>;
}

function fakeHost(overrides: Partial<ReloadHost> = {}): FakeHost {
  const calls: string[] = [];
  const plugins = new Map<string, Plugin>();
  return {
    calls,
    plugins,
    async stop(name) {
      calls.push(`stop ${name}`);
      await overrides.stop?.(name);
    },
    async load(name) {
      calls.push(`load ${name}`);
      if (overrides.load) return overrides.load(name);
      const plugin = definePlugin({});
      plugins.set(name, plugin);
      return { ok: true, plugin, file: `/plugins/${name}/index.js`, durationMs: 1 };
    },
    async start(name, plugin) {
      calls.push(plugin === undefined ? `start ${name}` : `start ${name} (new)`);
      await overrides.start?.(name, plugin);
    },
    async restorePrevious(name) {
      calls.push(`restore ${name}`);
      await overrides.restorePrevious?.(name);
    },
  };
}

function coordinator(host: ReloadHost, clock = new ManualClock()): ReloadCoordinator {
  return new ReloadCoordinator(host, {
    dependents: (name) => DEPENDENTS[name] ?? [],
    startOrder: () => START_ORDER,
    clock,
  });
}

function loadFailure(name: string): LoadResult {
  return { ok: false, error: new PluginLoadError(name, `/plugins/${name}/index.js`, 'Unexpected token') };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

describe('ReloadCoordinator', () => {
  it('loads first, stops dependents before their dependencies, then starts in start order', async () => {
    const host = fakeHost();
    const reloaded = jest.fn();
    const reloads = coordinator(host);
    reloads.onReloaded(reloaded);
    const outcome = await reloads.reload(['b']);
    expect(host.calls).toEqual(['load b', 'stop d', 'stop b', 'start b (new)', 'start d']);
    expect(outcome).toMatchObject({
      ok: true,
      changed: ['b'],
      stopped: ['d', 'b'],
      started: ['b', 'd'],
      stopFailures: [],
    });
    expect(reloaded).toHaveBeenCalledWith(outcome);
  });

  it('restarts the whole diamond below a changed root once', async () => {
    const host = fakeHost();
    await coordinator(host).reload(['a']);
    expect(host.calls).toEqual([
      'load a',
      'stop d',
      'stop c',
      'stop b',
      'stop a',
      'start a (new)',
      'start b',
      'start c',
      'start d',
    ]);
  });

  it('passes each changed plugin its freshly loaded code', async () => {
    const started = new Map<string, Plugin | undefined>();
    const host = fakeHost({
      async start(name, plugin) {
        started.set(name, plugin);
      },
    });
    await coordinator(host).reload(['c', 'e']);
    expect(started.get('c')).toBe(host.plugins.get('c'));
    expect(started.get('e')).toBe(host.plugins.get('e'));
    expect(started.get('d')).toBeUndefined();
  });

  it('stops nothing and keeps the previous versions when new code fails to load', async () => {
    const host = fakeHost({
      load: async (name) => (name === 'c' ? loadFailure('c') : fakeHost().load(name)),
    });
    const failed = jest.fn();
    const reloads = coordinator(host);
    reloads.onReloadFailed(failed);
    const outcome = await reloads.reload(['b', 'c']);
    expect(host.calls).toEqual(['load b', 'load c']);
    expect(outcome).toMatchObject({ ok: false, phase: 'load', failures: [{ name: 'c' }] });
    expect(outcome.ok === false && outcome.failures[0]?.error).toBeInstanceOf(PluginLoadError);
    expect(failed).toHaveBeenCalledWith(outcome);
  });

  it('treats a host load that throws as a failed load', async () => {
    const host = fakeHost({
      load: () => Promise.reject(new Error('disk gone')),
    });
    const outcome = await coordinator(host).reload(['e']);
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'load',
      failures: [{ name: 'e', error: new Error('disk gone') }],
    });
    expect(host.calls).toEqual(['load e']);
  });

  it('stops the started new versions and restores the previous ones when a start fails', async () => {
    const host = fakeHost({
      async start(name) {
        if (name === 'c') throw new Error('port in use');
      },
    });
    const failed = jest.fn();
    const reloads = coordinator(host);
    reloads.onReloadFailed(failed);
    const outcome = await reloads.reload(['a']);
    expect(host.calls).toEqual([
      'load a',
      'stop d',
      'stop c',
      'stop b',
      'stop a',
      'start a (new)',
      'start b',
      'start c',
      'stop b',
      'stop a',
      'restore a',
      'restore b',
      'restore c',
      'restore d',
    ]);
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'start',
      failures: [{ name: 'c', error: new Error('port in use') }],
      restoreFailures: [],
    });
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('reports previous versions that could not be restored, and restores the rest', async () => {
    const host = fakeHost({
      async start() {
        throw new Error('bad start');
      },
      async restorePrevious(name) {
        if (name === 'b') throw new Error('cannot restore');
      },
    });
    const outcome = await coordinator(host).reload(['b']);
    expect(host.calls).toEqual(['load b', 'stop d', 'stop b', 'start b (new)', 'restore b', 'restore d']);
    expect(outcome).toMatchObject({
      ok: false,
      restoreFailures: [{ name: 'b', error: new Error('cannot restore') }],
    });
  });

  it('carries on when a stop hook throws and reports it', async () => {
    const host = fakeHost({
      async stop(name) {
        if (name === 'd') throw new Error('stuck');
      },
    });
    const outcome = await coordinator(host).reload(['c']);
    expect(outcome).toMatchObject({ ok: true, started: ['c', 'd'], stopFailures: [{ name: 'd' }] });
  });

  it('skips changed plugins that are not running', async () => {
    const host = fakeHost();
    const outcome = await coordinator(host).reload(['ghost', 'e']);
    expect(outcome).toMatchObject({ ok: true, changed: ['ghost', 'e'], skipped: ['ghost'], started: ['e'] });
    expect(host.calls).toEqual(['load e', 'stop e', 'start e (new)']);
  });

  it('queues changes that arrive during a reload into one more run', async () => {
    const gate = deferred();
    const stopping = deferred();
    const host = fakeHost({
      async stop(name) {
        if (name !== 'e') return;
        stopping.resolve();
        await gate.promise;
      },
    });
    const reloads = coordinator(host);
    const first = reloads.reload(['e']);
    await stopping.promise;
    const second = reloads.reload(['d']);
    const third = reloads.reload(['c']);
    expect(reloads.isReloading()).toBe(true);
    expect(host.calls).toEqual(['load e', 'stop e']);
    gate.resolve();
    const [one, two, three] = await Promise.all([first, second, third]);
    expect(one).toMatchObject({ ok: true, changed: ['e'] });
    expect(two).toBe(three);
    expect(two).toMatchObject({ ok: true, changed: ['d', 'c'], started: ['c', 'd'] });
    expect(host.calls).toEqual([
      'load e',
      'stop e',
      'start e (new)',
      'load d',
      'load c',
      'stop d',
      'stop c',
      'start c (new)',
      'start d (new)',
    ]);
    expect(reloads.isReloading()).toBe(false);
  });

  it('runs a reload requested after the queue drained on its own', async () => {
    const host = fakeHost();
    const reloads = coordinator(host);
    await reloads.reload(['e']);
    await reloads.reload(['e']);
    expect(host.calls.filter((call) => call === 'load e')).toHaveLength(2);
  });

  it('times each reload with its clock', async () => {
    const clock = new ManualClock();
    const gate = deferred();
    const host = fakeHost({ stop: () => gate.promise });
    const reloading = coordinator(host, clock).reload(['e']);
    await Promise.resolve();
    clock.advance(40);
    gate.resolve();
    expect((await reloading).durationMs).toBe(40);
  });

  it('keeps reloading when a listener throws, and stops calling a disposed listener', async () => {
    const host = fakeHost();
    const reloads = coordinator(host);
    const listener = jest.fn(() => {
      throw new Error('listener bug');
    });
    const subscription = reloads.onReloaded(listener);
    await expect(reloads.reload(['e'])).resolves.toMatchObject({ ok: true });
    subscription.dispose();
    reloads.onReloadFailed(listener).dispose();
    await reloads.reload(['e']);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
