import {
  DeadlineExceededError,
  type Disposer,
  type HealthCheckResult,
  type Plugin,
  type PluginContext,
  runInPluginScope,
  systemClock,
  toDisposer,
  toHealthCheckResult,
  withDeadline,
} from '@trellis/core';
import { loadPluginEntry } from '@trellis/discovery';
import { PluginHookTimeoutError } from '../errors.js';
import { runWithTraceparent } from './child/trace-context.js';
import { failedHealth } from './health-result.js';
import { hookError } from './hook-error.js';
import type {
  PluginHookName,
  PluginInstance,
  PluginRuntime,
  RuntimeCallOptions,
  RuntimeExit,
  RuntimePluginSpec,
  RuntimeStats,
} from './plugin-runtime.js';

/**
 * Runs plugins in the host's own event loop: the fastest way (no boundary, no copies) and the
 * least isolated. Hooks get the host context, with its signal joined to one `abort()` can fire.
 * A hook that never settles rejects with `PLUGIN_HOOK_TIMEOUT` at its deadline and is not
 * waited on, but it is not stopped either; a synchronous infinite loop in an inline plugin
 * blocks the host and cannot be interrupted at all. Use `worker` isolation for code that might.
 * Hook errors are wrapped as `PLUGIN_HOOK_FAILED` unless they are Trellis errors (see
 * {@link hookError}); `health` never rejects: a throw or a timeout is a `fail`.
 */
export class InlineRuntime implements PluginRuntime {
  readonly kind = 'inline' as const;

  /**
   * Imports the entry with `loadPluginEntry` (ESM or CommonJS; evaluated again when `spec.fresh`).
   * @throws the `PLUGIN_LOAD_FAILED` error of `@trellis/discovery` when the entry cannot be loaded.
   */
  async load(spec: RuntimePluginSpec, context: PluginContext): Promise<PluginInstance> {
    const main = spec.manifest.main ?? 'index.js';
    const result = await loadPluginEntry(
      { name: spec.manifest.name, dir: spec.dir, main },
      { fresh: spec.fresh === true },
    );
    if (!result.ok) throw result.error;
    return new InlinePluginInstance(spec.manifest.name, result.plugin, context);
  }
}

/**
 * Wraps a plugin definition already in memory (loaded by the caller, or defined in place) as an
 * inline {@link PluginInstance}; the plugin manager uses it so it can parse config with the
 * plugin's own schema between loading and running.
 */
export function createInlineInstance(name: string, plugin: Plugin, context: PluginContext): PluginInstance {
  return new InlinePluginInstance(name, plugin, context);
}

class InlinePluginInstance implements PluginInstance {
  readonly kind = 'inline' as const;
  readonly #name: string;
  readonly #plugin: Plugin;
  readonly #context: PluginContext;
  readonly #controller = new AbortController();

  constructor(name: string, plugin: Plugin, context: PluginContext) {
    this.#name = name;
    this.#plugin = plugin;
    // The host owns context.signal; joining it with our own lets abort() reach the plugin too.
    this.#context = Object.freeze({
      ...context,
      signal: AbortSignal.any([context.signal, this.#controller.signal]),
    });
  }

  has(hook: PluginHookName | 'health'): boolean {
    return typeof this.#plugin[hook] === 'function';
  }

  async call(hook: PluginHookName, options: RuntimeCallOptions): Promise<void> {
    const fn = this.#plugin[hook];
    if (typeof fn !== 'function') return;
    try {
      await this.#withinDeadline(hook, options, () => fn.call(this.#plugin, this.#context));
    } catch (error) {
      throw hookError(this.#name, hook, error);
    }
  }

  async health(options: RuntimeCallOptions): Promise<HealthCheckResult> {
    const fn = this.#plugin.health;
    if (typeof fn !== 'function') return { status: 'pass' };
    try {
      return toHealthCheckResult(
        await this.#withinDeadline('health', options, () => fn.call(this.#plugin, this.#context)),
      );
    } catch (error) {
      return failedHealth(error);
    }
  }

  abort(reason: string): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  async dispose(): Promise<void> {}

  onExit(_listener: (exit: RuntimeExit) => void): Disposer {
    // An inline plugin cannot exit apart from the host.
    return toDisposer(() => {});
  }

  stats(): RuntimeStats {
    return { kind: 'inline' };
  }

  async #withinDeadline<T>(hook: string, options: RuntimeCallOptions, run: () => T | Promise<T>): Promise<T> {
    // Started inside the caller's trace, so host services the hook calls see it.
    // Inside the plugin's scope, so an event-loop watchdog can name it if it blocks the loop.
    const work = runWithTraceparent(options.traceparent, () =>
      runInPluginScope(this.#name, () => new Promise<T>((resolve) => resolve(run()))),
    );
    try {
      return await withDeadline(work, {
        ms: options.timeoutMs,
        clock: systemClock,
        what: `plugin "${this.#name}" ${hook}`,
      });
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        // The hook keeps running; its late failure must not become an unhandled rejection.
        work.catch(() => {});
        throw new PluginHookTimeoutError(this.#name, hook, options.timeoutMs);
      }
      throw error;
    }
  }
}
