import { AsyncLocalStorage } from 'node:async_hooks';

// One store per thread or process. The host side runs the plugin's calls back to it inside the
// same store, so host services reached from a plugin hook see the hook's trace.
const store = new AsyncLocalStorage<string | undefined>();

/** The W3C `traceparent` of the hook, handler or call running now, if its caller sent one. */
export function currentTraceparent(): string | undefined {
  return store.getStore();
}

/**
 * Runs `fn` with `traceparent` as the current trace (also when it is undefined, so an outer
 * trace does not leak into work that belongs to no trace).
 */
export function runWithTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  return store.run(traceparent, fn);
}
