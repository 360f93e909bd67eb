import type { Disposer, HttpRequest, HttpRoute, HttpRouter } from '@trellis/core';
import type { PendingWork } from './pending-work.js';
import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

/**
 * The host's HTTP router seen from a plugin's worker or process. `route()` returns its disposer
 * at once, as the contract says, and registers on the host in the background (the hook that
 * called it finishes only once the host has the route). The handler runs on this side each time
 * the host route is hit, inside the request's `traceparent` when it has one.
 */
export function createRemoteRouter(
  channel: RpcChannel,
  pending: PendingWork,
  basePath: string,
  prefixes: readonly string[] = [],
): HttpRouter {
  return {
    basePath: basePath + prefixes.join(''),
    route(route: HttpRoute): Disposer {
      if (typeof route !== 'object' || route === null || typeof route.handler !== 'function') {
        throw new TypeError('route() needs { method, path, handler } with a handler function.');
      }
      const id = channel.callbacks.register((request: HttpRequest) => route.handler(request));
      const registered = channel.call(HOST_METHODS.route, [prefixes, route.method, route.path, { $fn: id }]);
      pending.track(registered);
      let active = true;
      return {
        dispose() {
          if (!active) return;
          active = false;
          channel.callbacks.release(id);
          registered.then(
            (routeId) => channel.notify(HOST_METHODS.unroute, [routeId]),
            () => {},
          );
        },
      };
    },
    scope: (prefix) => createRemoteRouter(channel, pending, basePath, [...prefixes, prefix]),
  };
}
