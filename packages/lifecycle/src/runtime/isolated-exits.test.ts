// How worker and process plugins die: each failure ends only its own plugin, with the right
// reason, and the host (this test process) carries on.
import { afterEach, describe, expect, it } from '@jest/globals';
import { PluginConfigInvalidError, PluginRuntimeExitedError, RuntimeStartError } from '../errors.js';
import type { PluginInstance, PluginRuntime, RuntimeExit } from './plugin-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { createTestHost, fixtureSpec } from './runtime-test-host.js';
import { WorkerRuntime } from './worker-runtime.js';

interface Settings {
  readonly heartbeatIntervalMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly memoryMb?: number;
}

const HEARTBEAT_INTERVAL_MS = 50;
const HEARTBEAT_TIMEOUT_MS = 400;
const defaults = { heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS };

const runtimes: [string, (settings?: Settings) => PluginRuntime][] = [
  [
    'worker',
    ({ memoryMb, ...rest } = {}) =>
      new WorkerRuntime({ ...defaults, ...rest, resourceLimits: { maxOldGenerationSizeMb: memoryMb ?? 64 } }),
  ],
  [
    'process',
    ({ memoryMb, ...rest } = {}) =>
      new ProcessRuntime({ ...defaults, ...rest, maxOldGenerationSizeMb: memoryMb ?? 64 }),
  ],
];
const deadline = { timeoutMs: 5_000 };

describe.each(runtimes)('a %s plugin', (kind, makeRuntime) => {
  const instances: PluginInstance[] = [];
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
  });

  async function load(name: string, settings?: Settings, config: unknown = {}) {
    const spec = fixtureSpec(name, { config });
    const host = createTestHost(spec);
    const instance = await makeRuntime(settings).load(spec, host.context);
    instances.push(instance);
    const exits: RuntimeExit[] = [];
    const exited = new Promise<RuntimeExit>((resolve) =>
      instance.onExit((exit) => {
        exits.push(exit);
        resolve(exit);
      }),
    );
    return { host, instance, exited, exits };
  }

  /** Starts `name`, with a `stop` call in flight when it dies; resolves to how it ended. */
  async function startAndDie(name: string, settings?: Settings) {
    const sibling = await load('echo');
    const doomed = await load(name, settings);
    await doomed.instance.call('start', deadline);
    const startedAt = performance.now();
    const pending = doomed.instance.call('stop', { timeoutMs: 20_000 }).catch((error: unknown) => error);
    const exit = await doomed.exited;
    const tookMs = performance.now() - startedAt;
    // Only that plugin died: its sibling, and this process, still answer.
    await expect(sibling.instance.health(deadline)).resolves.toEqual({
      status: 'warn',
      message: 'echo is fine',
    });
    return { ...doomed, exit, tookMs, pendingError: await pending };
  }

  function expectRejectedWith(error: unknown, reason: string) {
    expect(error).toBeInstanceOf(PluginRuntimeExitedError);
    expect(error).toMatchObject({ code: 'PLUGIN_RUNTIME_EXITED', reason });
  }

  it('crashes on an uncaught exception: reason crash, pending calls rejected', async () => {
    const { exit, pendingError, instance, exits } = await startAndDie('crash-on-start');
    expect(exit).toMatchObject({
      reason: 'crash',
      detail: expect.stringContaining('boom from crash-on-start'),
    });
    expectRejectedWith(pendingError, 'crash');
    // Later calls fail the same way, health says so, and the exit was reported once.
    expectRejectedWith(await instance.call('stop', deadline).catch((e: unknown) => e), 'crash');
    await expect(instance.health(deadline)).resolves.toMatchObject({
      status: 'fail',
      message: expect.stringContaining('crashed'),
    });
    expect(exits).toHaveLength(1);
  });

  it('is killed as hung when a busy loop stops its heartbeats, within the heartbeat timeout', async () => {
    const { exit, pendingError, tookMs } = await startAndDie('busy-loop');
    expect(exit).toMatchObject({ reason: 'hang', detail: expect.stringContaining('no heartbeat') });
    expectRejectedWith(pendingError, 'hang');
    // The loop starts 20 ms after start; one check interval (≤ 50 ms) and a loaded CI box are the margin.
    expect(tookMs).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS);
    expect(tookMs).toBeLessThan(HEARTBEAT_TIMEOUT_MS + 20 + 400);
  });

  it('is killed with reason oom when it runs out of memory', async () => {
    // Filling the heap blocks the loop too: a long heartbeat timeout lets the memory limit act first.
    const { exit, pendingError } = await startAndDie('oom', { memoryMb: 32, heartbeatTimeoutMs: 10_000 });
    expect(exit).toMatchObject({ reason: 'oom', detail: expect.stringMatching(/out of memory/i) });
    expectRejectedWith(pendingError, 'oom');
  });

  it('ends with reason exit and the code when the plugin calls process.exit()', async () => {
    const { exit, pendingError } = await startAndDie('exit');
    expect(exit).toMatchObject({ reason: 'exit', code: 3 });
    expectRejectedWith(pendingError, 'exit');
  });

  it('rejects pending calls when disposed, without reporting an exit', async () => {
    const { instance, exits } = await load('hang-start');
    const pending = instance.call('start', { timeoutMs: 20_000 }).catch((e: unknown) => e);
    await Promise.all([instance.dispose(), instance.dispose()]);
    expectRejectedWith(await pending, 'killed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
  });

  it('tells an exit listener registered after the exit', async () => {
    const { exit, instance } = await startAndDie('exit');
    await expect(new Promise((resolve) => instance.onExit(resolve))).resolves.toEqual(exit);
  });

  it('reports live figures from its heartbeats', async () => {
    const { instance } = await load('echo');
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_INTERVAL_MS * 2));
    const stats = instance.stats();
    expect(stats.kind).toBe(kind);
    expect(stats.heapUsedBytes).toBeGreaterThan(0);
    expect(stats.heapLimitBytes).toBeGreaterThan(stats.heapUsedBytes ?? 0);
    expect(stats.lastHeartbeatAt).toBeGreaterThan(Date.now() - 1_000);
    expect(kind === 'worker' ? stats.threadId : stats.pid).toEqual(expect.any(Number));
  });

  it('fails to load with every config issue and its path when the plugin schema rejects the config', async () => {
    const error = await load('echo', undefined, { greeting: 42 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeStartError);
    expect(error).toMatchObject({ code: 'PLUGIN_RUNTIME_START_FAILED' });
    expect((error as Error).message).toContain('plugins.echo.greeting: Expected string');
    expect((error as Error).cause).toBeInstanceOf(PluginConfigInvalidError);
    expect((error as Error).cause).toMatchObject({
      code: 'PLUGIN_CONFIG_INVALID',
      details: { plugin: 'echo', problems: ['plugins.echo.greeting: Expected string'] },
    });
  });

  it('fails to load with PLUGIN_RUNTIME_START_FAILED when the entry does not exist', async () => {
    const spec = { ...fixtureSpec('exit'), entry: `${fixtureSpec('exit').dir}/missing.mjs` };
    const error = await makeRuntime()
      .load(spec, createTestHost(spec).context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeStartError);
    expect((error as Error).message).toContain('missing.mjs');
  });
});
