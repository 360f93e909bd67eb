import type { HttpRouter, PluginContext } from '@trellis/core';
import { isGranted, requiredPermission } from '../../permissions/permission-rules.js';
import { LocalContainer } from './local-container.js';
import { localClock, localTracer } from './local-services.js';
import { PendingWork } from './pending-work.js';
import { permissionDenied } from './permission-denied.js';
import { HOST_METHODS, type LoadRequest } from './protocol.js';
import { createRemoteCache } from './remote-cache.js';
import { createRemoteEvents } from './remote-events.js';
import { createRemoteLogger } from './remote-logger.js';
import { createRemoteMetrics } from './remote-metrics.js';
import { createRemoteRouter } from './remote-router.js';
import type { RpcChannel } from './rpc-channel.js';
import { createServiceProxy } from './service-proxy.js';
import { fromWireError } from './wire-error.js';

/** A plugin's context on its side of the boundary, with what the plugin side needs to drive it. */
export interface IsolatedContext {
  readonly context: PluginContext;
  /** Aborts `context.signal`. */
  readonly controller: AbortController;
  /** Host registrations in flight; hooks wait for them. */
  readonly pending: PendingWork;
}

/**
 * Builds the context an isolated plugin's hooks get. `resolve` checks permissions here, with
 * the host's own rules and grants, so a denial is synchronous and worded as the host words it
 * (the host checks again). Core tokens get adapters that behave like the host's services;
 * any other granted token gets a proxy whose methods run on the host.
 */
export function createIsolatedContext(
  channel: RpcChannel,
  request: LoadRequest,
  config: unknown,
): IsolatedContext {
  const plugin = request.manifest.name;
  const logger = createRemoteLogger(channel, request.logLevel);
  const pending = new PendingWork((error) =>
    logger.error({ err: error }, 'A registration with the host failed outside any hook'),
  );
  const controller = new AbortController();
  const metrics = createRemoteMetrics(channel);
  const cache = createRemoteCache(channel);
  const events = createRemoteEvents(channel, pending);
  const services = new Map<string, unknown>();

  const router = (): HttpRouter => {
    const info = request.router;
    if (info !== undefined && 'error' in info) throw fromWireError(info.error);
    if (info === undefined) throw new Error(`No HTTP router was handed to plugin "${plugin}".`);
    return createRemoteRouter(channel, pending, info.basePath);
  };
  const adapters: Readonly<Record<string, () => unknown>> = {
    '@trellis/core.Logger': () => logger,
    '@trellis/core.Metrics': () => metrics,
    '@trellis/core.Cache': () => cache,
    '@trellis/core.EventBus': () => events,
    '@trellis/core.Clock': () => localClock,
    '@trellis/core.Tracer': () => localTracer,
    '@trellis/core.HttpRouter': router,
  };

  const resolve = (token: symbol): unknown => {
    if (typeof token !== 'symbol')
      throw new TypeError('resolve() needs a token (a symbol from createToken).');
    if (container.isRegistered(token)) return container.resolveOwn(token);
    const key = token.description ?? String(token);
    const permission = requiredPermission(key, request.rules);
    if (permission !== null && !isGranted(permission, request.granted)) {
      // Told to the host, whose own gate then records the denial as it does for inline plugins.
      channel.notify(HOST_METHODS.denied, [key]);
      throw permissionDenied(plugin, key, permission);
    }
    let service = services.get(key);
    if (service === undefined) {
      const adapter = Object.hasOwn(adapters, key) ? adapters[key] : undefined;
      service = adapter !== undefined ? adapter() : createServiceProxy(channel, key);
      services.set(key, service);
    }
    return service;
  };
  const container = new LocalContainer(resolve);

  const context = Object.freeze({
    manifest: request.manifest,
    config,
    logger,
    metrics,
    cache,
    events,
    signal: controller.signal,
    ...(request.dataDir === undefined ? {} : { dataDir: request.dataDir }),
    container,
    resolve,
  }) as unknown as PluginContext;
  return { context, controller, pending };
}
