import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  EVENT_BUS,
  HTTP_ROUTER,
  type PluginIsolation,
  type PluginManifest,
} from '@trellis/core';
import type { PluginExitedEvent } from '../events/lifecycle-events.js';
import { ProcessRuntime } from '../runtime/process-runtime.js';
import { fixtureSpec, TestRouter } from '../runtime/runtime-test-host.js';
import { WorkerRuntime } from '../runtime/worker-runtime.js';
import { PluginManager } from './plugin-manager.js';

// Generous for CI machines running several suites at once: a starved but healthy worker must not look hung.
const fast = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1_000 };
let manager: PluginManager | undefined;

afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

/** A fixture plugin as the manager sees it, run in `isolation`. */
function fixture(name: string, isolation: PluginIsolation, rename?: string) {
  const spec = fixtureSpec(name);
  const manifest: PluginManifest = { ...spec.manifest, name: rename ?? name, isolation };
  return { manifest, dir: spec.dir };
}

async function until(condition: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PluginManager with isolated plugins', () => {
  it('keeps serving when worker and process plugins crash, hang, run out of memory or exit', async () => {
    const platform = createPlatform({ logLevel: 'silent' });
    const router = new TestRouter('');
    platform.container.register(HTTP_ROUTER, { useValue: router });
    manager = new PluginManager({
      container: platform.container,
      plugins: [
        fixture('echo', 'worker'),
        fixture('crash-on-start', 'worker'),
        fixture('busy-loop', 'worker'),
        fixture('exit', 'process'),
        fixture('busy-loop', 'process', 'busy-loop-process'),
      ],
      runtimes: {
        worker: new WorkerRuntime({ ...fast, resourceLimits: { maxOldGenerationSizeMb: 32 } }),
        process: new ProcessRuntime({ ...fast, maxOldGenerationSizeMb: 64 }),
      },
    });
    const exits: PluginExitedEvent[] = [];
    platform.resolve(EVENT_BUS).on('plugin.exited', (event) => void exits.push(event));

    const report = await manager.boot();
    expect(report.counts.active).toBe(5);
    await until(() => exits.length >= 4);

    const reasons = Object.fromEntries(
      exits.map((exit) => [exit.plugin, `${exit.isolation}:${exit.reason}`]),
    );
    expect(reasons).toEqual({
      'crash-on-start': 'worker:crash',
      'busy-loop': 'worker:hang',
      exit: 'process:exit',
      'busy-loop-process': 'process:hang',
    });
    for (const name of Object.keys(reasons)) {
      expect(manager.get(name)).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_RUNTIME_EXITED' } });
    }
    // The survivor still answers, through the boundary, while its neighbours are dead.
    const response = await router.request('GET', '/echo/serving');
    expect(response.body).toMatchObject({ word: 'serving', length: 7 });
    await expect(manager.health('echo')).resolves.toMatchObject({ status: 'warn' });

    // A dead plugin can be restarted: a fresh worker or process.
    await expect(manager.restart('crash-on-start')).resolves.toMatchObject({ state: 'active' });
  });

  it('marks a worker plugin that runs out of memory failed with reason oom', async () => {
    const platform = createPlatform({ logLevel: 'silent' });
    manager = new PluginManager({
      container: platform.container,
      plugins: [fixture('oom', 'worker')],
      // Filling the heap also stalls heartbeats; a long heartbeat timeout lets the heap limit act first.
      runtimes: {
        worker: new WorkerRuntime({
          heartbeatTimeoutMs: 10_000,
          resourceLimits: { maxOldGenerationSizeMb: 32 },
        }),
      },
    });
    const exits: PluginExitedEvent[] = [];
    platform.resolve(EVENT_BUS).on('plugin.exited', (event) => void exits.push(event));
    await manager.boot();
    await until(() => exits.length >= 1, 15_000);
    expect(exits[0]).toMatchObject({ plugin: 'oom', reason: 'oom' });
    expect(manager.get('oom')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_RUNTIME_EXITED' } });
  }, 20_000);

  it('runs the same plugin code inline, in a worker and in a process', async () => {
    const answers: unknown[] = [];
    for (const isolation of ['inline', 'worker', 'process'] as const) {
      const local = new TestRouter('');
      const own = createPlatform({ logLevel: 'silent' });
      own.container.register(HTTP_ROUTER, { useValue: local });
      manager = new PluginManager({
        container: own.container,
        plugins: [{ ...fixture('echo', isolation), config: { greeting: `hi from ${isolation}` } }],
        runtimes: { worker: new WorkerRuntime(fast), process: new ProcessRuntime(fast) },
      });
      await manager.boot();
      answers.push((await local.request('GET', '/echo/abc')).body);
      await manager.shutdown();
      expect(manager.get('echo')?.state).toBe('stopped');
    }
    expect(answers).toEqual([
      { word: 'abc', length: 3, greeting: 'hi from inline' },
      { word: 'abc', length: 3, greeting: 'hi from worker' },
      { word: 'abc', length: 3, greeting: 'hi from process' },
    ]);
  });
});
