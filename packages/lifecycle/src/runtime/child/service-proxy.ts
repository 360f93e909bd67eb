import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

/**
 * A granted service with no adapter of its own: every method call returns a Promise and runs on
 * the host, on the service the plugin's host-side context resolves. Properties that are not
 * methods cannot be read this way, and functions passed as arguments become callbacks held until
 * the plugin is disposed.
 */
export function createServiceProxy(channel: RpcChannel, tokenKey: string): object {
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      // Not thenable, so `await proxy` gives the proxy rather than calling the host.
      if (typeof property !== 'string' || property === 'then') return undefined;
      let method = methods.get(property);
      if (method === undefined) {
        method = (...args: unknown[]) => channel.call(HOST_METHODS.service, [tokenKey, property, args]);
        methods.set(property, method);
      }
      return method;
    },
  });
}
