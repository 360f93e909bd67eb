// The same plugin code under all three runtimes: what a plugin can rely on wherever it runs.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { EventBus } from '@trellis/core';
import { PluginHookTimeoutError, PluginPermissionDeniedError } from '../errors.js';
import { InlineRuntime } from './inline-runtime.js';
import type { PluginInstance, PluginRuntime } from './plugin-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { createTestHost, fixtureSpec } from './runtime-test-host.js';
import { WorkerRuntime } from './worker-runtime.js';

const fast = { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 1_000 };
const runtimes: [string, () => PluginRuntime][] = [
  ['inline', () => new InlineRuntime()],
  ['worker', () => new WorkerRuntime(fast)],
  ['process', () => new ProcessRuntime(fast)],
];
const deadline = { timeoutMs: 5_000 };
const TRACE_A = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TRACE_B = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe.each(runtimes)('the %s runtime', (kind, makeRuntime) => {
  const instances: PluginInstance[] = [];
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
  });

  async function load(name: string, overrides: Parameters<typeof fixtureSpec>[1] = {}) {
    const spec = fixtureSpec(name, overrides);
    const host = createTestHost(spec);
    const instance = await makeRuntime().load(spec, host.context);
    instances.push(instance);
    return { host, instance };
  }

  it('runs echo through setup, start, a route, the cache, events, health and stop', async () => {
    const { host, instance } = await load('echo', { config: { greeting: 'hi' } });
    expect(instance.kind).toBe(kind);
    expect((['setup', 'start', 'stop', 'health'] as const).every((hook) => instance.has(hook))).toBe(true);

    await instance.call('setup', deadline);
    expect(host.router.routes).toEqual(['GET /plugins/echo/echo/:word']);
    await instance.call('start', deadline);

    await expect(host.router.request('GET', '/plugins/echo/echo/hello')).resolves.toEqual({
      status: 200,
      body: { word: 'hello', length: 5, greeting: 'hi' },
    });
    await expect(host.context.cache.get('length:hello')).resolves.toBe(5);

    const events = host.context.events as unknown as EventBus<Record<string, unknown>>;
    const pong = new Promise((resolve) => events.once('echo.pong', resolve));
    events.emit('echo.ping', { n: 1 });
    await expect(pong).resolves.toEqual({ n: 1, by: 'echo' });

    await expect(instance.health(deadline)).resolves.toEqual({ status: 'warn', message: 'echo is fine' });
    instance.abort('stopping');
    await instance.call('stop', deadline);

    expect(host.logs).toEqual(
      expect.arrayContaining([
        {
          level: 'info',
          bindings: { plugin: 'echo', phase: 'setup' },
          fields: { greeting: 'hi' },
          msg: 'echo set up',
        },
        { level: 'info', bindings: { plugin: 'echo' }, fields: undefined, msg: 'echo started' },
        {
          level: 'info',
          bindings: { plugin: 'echo' },
          fields: { aborted: true, reason: 'stopping' },
          msg: 'echo stopped',
        },
      ]),
    );
    expect(host.metrics).toEqual([
      { kind: 'counter', name: 'echo_starts_total', op: 'inc', value: 1, labels: { plugin: 'echo' } },
    ]);
    expect(instance.stats().kind).toBe(kind);
  });

  it('gives the plugin its own container, router scopes, cache namespaces, metric views, events, clock and tracer', async () => {
    const { host, instance } = await load('context-tour');
    await instance.call('setup', deadline);
    expect(host.router.routes).toEqual(['POST /plugins/context-tour/v1/echo']);
    await expect(
      host.router.request('POST', '/plugins/context-tour/v1/echo', {}, { buffer: Buffer.from('hi') }),
    ).resolves.toEqual({
      status: 201,
      headers: { 'x-base': '/plugins/context-tour/v1' },
      body: { buffer: Buffer.from('hi') },
    });
    await expect(instance.health(deadline)).resolves.toEqual({
      status: 'pass',
      details: {
        own: { n: 1 },
        made: { from: 2 },
        registered: true,
        heard: [{ n: 1 }],
        listeners: 1,
        kept: { deep: [1, 2] },
        invalidated: 1,
        deleted: true,
        clock: 'number',
        traced: 'ran',
        basePath: '/plugins/context-tour/v1',
      },
    });
    expect(host.metrics).toEqual([
      {
        kind: 'gauge',
        name: 'tour_gauge',
        op: 'set',
        value: 5,
        labels: { plugin: 'context-tour', area: 'tour' },
      },
      {
        kind: 'histogram',
        name: 'tour_seconds',
        op: 'observe',
        value: 0.25,
        labels: { plugin: 'context-tour', area: 'tour' },
      },
    ]);
  });

  it('fails a start that never settles with PLUGIN_HOOK_TIMEOUT at its deadline', async () => {
    const { instance } = await load('hang-start');
    const started = performance.now();
    const error = await instance.call('start', { timeoutMs: 300 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(PluginHookTimeoutError);
    expect(error).toMatchObject({
      code: 'PLUGIN_HOOK_TIMEOUT',
      details: { plugin: 'hang-start', hook: 'start' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
    // A pending promise blocks nothing: the plugin still answers.
    await expect(instance.health(deadline)).resolves.toEqual({ status: 'pass' });
    await expect(instance.call('start', { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'PLUGIN_HOOK_TIMEOUT',
    });
  });

  it('carries the caller traceparent into the hook and back to host services it calls', async () => {
    const { host, instance } = await load('probe-client');
    await instance.call('setup', deadline);
    await instance.call('start', { ...deadline, traceparent: TRACE_A });
    expect(host.probe.reports).toEqual([{ label: 'start', traceparent: TRACE_A }]);
  });

  it('passes a host error thrown into the plugin back out with its own code', async () => {
    const { instance } = await load('probe-client');
    const error = await instance.call('stop', deadline).catch((e: unknown) => e);
    // A Trellis error keeps its code rather than becoming PLUGIN_HOOK_FAILED.
    expect(error).toMatchObject({
      code: 'PROBE_FAILED',
      fix: 'Nothing to fix.',
      details: { code: 'PROBE_FAILED' },
    });
  });

  if (kind === 'inline') return;

  it('runs a route handler inside the traceparent of the request', async () => {
    const { host, instance } = await load('probe-client');
    await instance.call('setup', deadline);
    await expect(
      host.router.request('GET', '/plugins/probe-client/trace', { traceparent: TRACE_B }),
    ).resolves.toEqual({
      body: 'ok',
    });
    expect(host.probe.reports).toEqual([{ label: 'route', traceparent: TRACE_B }]);
  });

  it('denies resolving a service without its permission, naming the permission', async () => {
    const { instance } = await load('unauthorized');
    const error = await instance.call('setup', deadline).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginPermissionDeniedError);
    expect(error).toMatchObject({ code: 'PLUGIN_PERMISSION_DENIED', details: { permission: 'http:route' } });
    // Worded exactly as the host words it.
    expect((error as Error).message).toBe(
      new PluginPermissionDeniedError('unauthorized', '@trellis/core.HttpRouter', 'http:route').message,
    );
  });

  it('removes the plugin routes from the host when disposed', async () => {
    const { host, instance } = await load('echo');
    await instance.call('setup', deadline);
    expect(host.router.routes).toHaveLength(1);
    await instance.dispose();
    expect(host.router.routes).toEqual([]);
  });
});
