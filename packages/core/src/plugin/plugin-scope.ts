import { AsyncLocalStorage } from 'node:async_hooks';
import { type Disposer, toDisposer } from '../disposer.js';

const scope = new AsyncLocalStorage<string>();

/** Told synchronously when code enters and leaves {@link runInPluginScope}. */
export interface PluginScopeObserver {
  /** Called inside the scope, before the code runs; returns what {@link exit} gets back. */
  enter(): number;
  /** Called after the code returned or threw, with what {@link enter} returned. */
  exit(previous: number): void;
}

const observers = new Set<PluginScopeObserver>();

/**
 * Runs `fn` as code of plugin `name`: {@link currentPluginScope} answers `name` inside it and in
 * every callback it schedules. Plugin hosts wrap inline plugin hooks and route handlers in it, so
 * an event-loop watchdog can name the plugin whose code blocked the loop, and logs can say whose
 * work they describe.
 */
export function runInPluginScope<T>(name: string, fn: () => T): T {
  if (observers.size === 0) return scope.run(name, fn);
  return scope.run(name, () => {
    const active = [...observers];
    const previous = active.map((observer) => observer.enter());
    try {
      return fn();
    } finally {
      active.forEach((observer, i) => {
        observer.exit(previous[i] ?? 0);
      });
    }
  });
}

/** The plugin whose code is running now (see {@link runInPluginScope}); `undefined` for host code. */
export function currentPluginScope(): string | undefined {
  return scope.getStore();
}

/**
 * Reports every synchronous entry into {@link runInPluginScope} to `observer` until disposed.
 * Async hooks only see callbacks the event loop starts; a plugin hook called straight from host
 * code starts none, so a watchdog needs this to blame a plugin that blocks before its first
 * `await`. Costs nothing while no observer is registered.
 */
export function observePluginScope(observer: PluginScopeObserver): Disposer {
  observers.add(observer);
  return toDisposer(() => {
    observers.delete(observer);
  });
}
