import type { Cache } from '@trellis/core';
import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

/**
 * The host-side plugin cache, method by method. `getOrSet`'s loader stays on this side: the host
 * calls it back only on a miss, and it is released once the call settles. `namespace` views are
 * kept as a prefix list the host applies in order.
 */
export function createRemoteCache(channel: RpcChannel, prefixes: readonly string[] = []): Cache {
  const call = (op: string, args: readonly unknown[]) =>
    channel.call(HOST_METHODS.cache, [prefixes, op, args], { functions: 'drop' });
  return {
    get: (key) => call('get', [key]) as never,
    set: async (key, value, options) => {
      await call('set', [key, value, options]);
    },
    delete: (key) => call('delete', [key]) as Promise<boolean>,
    getOrSet: async (key, loader, options) => {
      const id = channel.callbacks.register(loader);
      try {
        return (await call('getOrSet', [key, { $fn: id }, options])) as never;
      } finally {
        channel.callbacks.release(id);
      }
    },
    invalidateTags: (tags) => call('invalidateTags', [tags]) as Promise<number>,
    namespace: (prefix) => createRemoteCache(channel, [...prefixes, prefix]),
  };
}
