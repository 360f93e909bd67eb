import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as code of plugin `name`: {@link currentPluginScope} answers `name` inside it and in
 * every callback it schedules. Plugin hosts wrap inline plugin hooks and route handlers in it, so
 * an event-loop watchdog can name the plugin whose code blocked the loop, and logs can say whose
 * work they describe.
 */
export function runInPluginScope<T>(name: string, fn: () => T): T {
  return scope.run(name, fn);
}

/** The plugin whose code is running now (see {@link runInPluginScope}); `undefined` for host code. */
export function currentPluginScope(): string | undefined {
  return scope.getStore();
}
