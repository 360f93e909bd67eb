// The host half checks everything itself: these tests forge the plugin side's messages.
import { describe, expect, it } from '@jest/globals';
import type { EventBus } from '@trellis/core';
import { DEFAULT_SERVICE_PERMISSIONS } from '../permissions/permission-rules.js';
import { HOST_METHODS } from './child/protocol.js';
import { RpcChannel } from './child/rpc-channel.js';
import { fromWireError } from './child/wire-error.js';
import { HostBridge } from './host-bridge.js';
import { rebuildRemoteError } from './remote-error.js';
import { createTestHost, fixtureSpec, PROBE } from './runtime-test-host.js';

function setup(granted: readonly string[], resolveSpy?: (token: symbol) => void) {
  const spec = fixtureSpec('echo', { granted });
  const host = createTestHost(spec);
  const context = resolveSpy
    ? {
        ...host.context,
        resolve: <T>(token: symbol): T => {
          resolveSpy(token);
          return host.context.resolve(token as never);
        },
      }
    : host.context;
  const channels = (side: 'host' | 'plugin', deliver: (message: unknown) => void) =>
    new RpcChannel({
      send: (message) => {
        const copy = structuredClone(message);
        setImmediate(() => deliver(copy));
      },
      callTimeoutMs: 1_000,
      timeoutError: () => new Error('timeout'),
      rebuildError: side === 'host' ? rebuildRemoteError : fromWireError,
    });
  const hostSide: RpcChannel = channels('host', (message) => plugin.receive(message));
  const plugin: RpcChannel = channels('plugin', (message) => hostSide.receive(message));
  const bridge = new HostBridge({
    plugin: 'echo',
    channel: hostSide,
    context,
    granted,
    rules: DEFAULT_SERVICE_PERMISSIONS,
  });
  return { host, bridge, plugin };
}

describe('HostBridge', () => {
  it('checks the permission of every service call again, whatever the plugin side did', async () => {
    const { plugin, host } = setup([]);
    await expect(
      plugin.call(HOST_METHODS.service, [PROBE.description, 'report', ['x']]),
    ).rejects.toMatchObject({
      code: 'PLUGIN_PERMISSION_DENIED',
      details: { permission: 'service:resolve:@trellis-test/probe.Probe' },
    });
    await expect(plugin.call(HOST_METHODS.route, [[], 'GET', '/x', () => ({})])).rejects.toMatchObject({
      code: 'PLUGIN_PERMISSION_DENIED',
      details: { permission: 'http:route' },
    });
    expect(host.probe.reports).toEqual([]);
    expect(host.router.routes).toEqual([]);
  });

  it('runs granted service methods on the host, and refuses what is not a method', async () => {
    const { plugin, host } = setup(['service:resolve:@trellis-test/probe.Probe']);
    await plugin.call(HOST_METHODS.service, [PROBE.description, 'report', ['hello']]);
    expect(host.probe.reports).toEqual([{ label: 'hello', traceparent: undefined }]);
    await expect(plugin.call(HOST_METHODS.service, [PROBE.description, 'reports', []])).rejects.toThrow(
      'has no method "reports"',
    );
    await expect(plugin.call(HOST_METHODS.service, [42, 'x', []])).rejects.toMatchObject({
      name: 'TypeError',
    });
  });

  it('refuses malformed log, metric and cache requests', async () => {
    const { plugin } = setup([]);
    await expect(plugin.call(HOST_METHODS.log, ['loud', {}, undefined, 'x'])).rejects.toThrow(
      'Unknown log level',
    );
    await expect(plugin.call(HOST_METHODS.metric, [{}, 'counter', { name: 'c' }, 'set', []])).rejects.toThrow(
      'Unknown metric operation',
    );
    await expect(plugin.call(HOST_METHODS.cache, [[], 'clear', []])).rejects.toThrow(
      'Unknown cache operation',
    );
    await expect(plugin.call(HOST_METHODS.emit, [7, {}])).rejects.toThrow('event name');
    await expect(plugin.call(HOST_METHODS.subscribe, ['e', 'not a function', false])).rejects.toThrow(
      'function',
    );
  });

  it('records metrics and logs under the labels and bindings the plugin side sent', async () => {
    const { plugin, host } = setup([]);
    await plugin.call(HOST_METHODS.metric, [
      { route: '/a' },
      'histogram',
      { name: 'h', help: 'h' },
      'observe',
      [0.5],
    ]);
    await plugin.call(HOST_METHODS.metric, [{}, 'gauge', { name: 'g', help: 'g' }, 'set', [3]]);
    await plugin.call(HOST_METHODS.log, ['warn', { a: 1 }, undefined, 'plain']);
    await plugin.call(HOST_METHODS.log, ['warn', { a: 1 }, { k: 'v' }, 'with fields']);
    expect(host.metrics).toEqual([
      { kind: 'histogram', name: 'h', op: 'observe', value: 0.5, labels: { plugin: 'echo', route: '/a' } },
      { kind: 'gauge', name: 'g', op: 'set', value: 3, labels: { plugin: 'echo' } },
    ]);
    expect(host.logs).toEqual([
      { level: 'warn', bindings: { plugin: 'echo', a: 1 }, fields: undefined, msg: 'plain' },
      { level: 'warn', bindings: { plugin: 'echo', a: 1 }, fields: { k: 'v' }, msg: 'with fields' },
    ]);
  });

  it('works on cache namespaces in order', async () => {
    const { plugin, host } = setup([]);
    await plugin.call(HOST_METHODS.cache, [['a', 'b'], 'set', ['k', 1]]);
    await expect(host.context.cache.namespace('a').namespace('b').get('k')).resolves.toBe(1);
  });

  it('undoes every route and subscription on dispose, and accepts no new ones after', async () => {
    const { plugin, host, bridge } = setup(['http:route']);
    const events = host.context.events as unknown as EventBus<Record<string, unknown>>;
    await plugin.call(HOST_METHODS.route, [['/v1'], 'GET', '/x', () => ({ body: 1 })]);
    const subscription = await plugin.call(HOST_METHODS.subscribe, ['tick', () => {}, false]);
    await plugin.call(HOST_METHODS.subscribe, ['tock', () => {}, true]);
    expect(host.router.routes).toEqual(['GET /plugins/echo/v1/x']);
    expect(events.listenerCount('tick')).toBe(1);
    await plugin.call(HOST_METHODS.unsubscribe, [subscription]);
    expect(events.listenerCount('tick')).toBe(0);
    bridge.dispose();
    bridge.dispose();
    expect(host.router.routes).toEqual([]);
    expect(events.listenerCount('tock')).toBe(0);
    await expect(plugin.call(HOST_METHODS.subscribe, ['tick', () => {}, false])).rejects.toThrow('disposed');
    expect(events.listenerCount('tick')).toBe(0);
  });

  it('lets the host gate see a denial made on the plugin side, for tokens really not granted', async () => {
    const resolved: symbol[] = [];
    const { plugin } = setup(['service:resolve:@acme/granted.Thing'], (token) => resolved.push(token));
    plugin.notify(HOST_METHODS.denied, ['@acme/other.Thing']);
    plugin.notify(HOST_METHODS.denied, ['@acme/granted.Thing']);
    plugin.notify(HOST_METHODS.denied, [42]);
    await plugin.call(HOST_METHODS.emit, ['flush', {}]);
    expect(resolved).toEqual([Symbol.for('@acme/other.Thing')]);
  });

  it('hands the plugin side the router base path, or why there is none', () => {
    expect(setup(['http:route']).bridge.routerInfo()).toEqual({ basePath: '/plugins/echo' });
    expect(setup([]).bridge.routerInfo()).toBeUndefined();
  });
});
