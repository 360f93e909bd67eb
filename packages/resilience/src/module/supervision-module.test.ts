import { describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  defineModule,
  EVENT_BUS,
  HEALTH_REGISTRY,
  PLUGIN_CONTROL,
  type PluginControl,
  type PluginSummary,
} from '@trellis/core';
import { createResilienceModule } from './resilience-module.js';
import { createSupervisionModule, FAILURE_PREDICTOR } from './supervision-module.js';

/** A plugin host stand-in: one active plugin whose restarts are recorded. */
function fakeHost() {
  const restarts: { name: string; withDependents?: boolean }[] = [];
  let state: PluginSummary['state'] = 'active';
  const summary = (): PluginSummary => ({
    name: 'worker-plugin',
    version: '1.0.0',
    state,
    isolation: 'worker',
    critical: true,
    dependencies: [],
  });
  const control: PluginControl = {
    list: () => [summary()],
    get: (name) => (name === 'worker-plugin' ? summary() : undefined),
    start: async () => summary(),
    stop: async () => summary(),
    restart: async (name, options) => {
      restarts.push({ name, withDependents: options?.withDependents });
      state = 'active';
      return summary();
    },
    health: async () => (state === 'active' ? { status: 'pass' } : { status: 'fail', message: 'down' }),
  };
  const module = defineModule({
    name: 'fake-host',
    provides: [PLUGIN_CONTROL],
    register: (container) => container.register(PLUGIN_CONTROL, { useValue: control }),
  });
  return { module, restarts, fail: () => (state = 'failed') };
}

describe('createSupervisionModule', () => {
  it('checks each plugin for readiness, restarts one that died, and samples heaps for prediction', async () => {
    const host = fakeHost();
    const sampled: string[] = [];
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createResilienceModule(),
        host.module,
        createSupervisionModule({
          config: {
            supervisor: { backoff: { initialMs: 1, maxMs: 2 } },
            prediction: { evaluateEveryMs: 10 },
          },
          heapOf: (plugin) => {
            sampled.push(plugin);
            return { heapUsedBytes: 10_000_000, heapLimitBytes: 64_000_000 };
          },
        }),
      ],
    });
    await platform.start();
    const registry = platform.resolve(HEALTH_REGISTRY);
    expect(registry.names()).toContain('plugin:worker-plugin');
    expect((await registry.check('readiness')).status).toBe('pass');

    // As the lifecycle manager does: the exit is published while the plugin still reads active.
    platform.events.emit(
      'plugin.exited' as never,
      { plugin: 'worker-plugin', isolation: 'worker', reason: 'crash', detail: 'boom' } as never,
    );
    host.fail();
    for (let i = 0; i < 100 && host.restarts.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(host.restarts).toEqual([{ name: 'worker-plugin', withDependents: true }]);

    for (let i = 0; i < 100 && sampled.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sampled).toContain('worker-plugin');
    expect(platform.resolve(FAILURE_PREDICTOR).inspect('worker-plugin')).toBeDefined();
    await platform.stop();
  });

  it('can leave supervision and prediction off', async () => {
    const host = fakeHost();
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createResilienceModule(),
        host.module,
        createSupervisionModule({
          config: { supervisor: { enabled: false }, prediction: { enabled: false } },
        }),
      ],
    });
    await platform.start();
    platform
      .resolve(EVENT_BUS)
      .emit(
        'plugin.exited' as never,
        { plugin: 'worker-plugin', isolation: 'worker', reason: 'crash', detail: 'x' } as never,
      );
    host.fail();
    await new Promise((r) => setTimeout(r, 30));
    expect(host.restarts).toEqual([]);
    await platform.stop();
  });
});
