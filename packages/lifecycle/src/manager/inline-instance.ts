import {
  DeadlineExceededError,
  type HealthCheckResult,
  type Plugin,
  type PluginContext,
  systemClock,
  toDisposer,
  withDeadline,
} from '@trellis/core';
import { PluginHookFailedError, PluginHookTimeoutError } from '../errors.js';
import type { PluginHookName, PluginInstance, RuntimeCallOptions } from '../runtime/plugin-runtime.js';
import { errorSummary } from './error-summary.js';

/**
 * Runs a loaded plugin definition in the host's event loop. Each hook call races its deadline:
 * a hook that never settles fails with `PLUGIN_HOOK_TIMEOUT` and is not waited on. A synchronous
 * infinite loop cannot be interrupted inline (it blocks the very loop that would time it out);
 * that is what the `worker` isolation is for.
 */
export function createInlineInstance(name: string, plugin: Plugin, context: PluginContext): PluginInstance {
  const run = async <T>(
    hook: string,
    work: () => T | Promise<T>,
    options: RuntimeCallOptions,
  ): Promise<T> => {
    const running = Promise.resolve()
      .then(work)
      .catch((error: unknown) => {
        // Platform errors (a denied permission, invalid config) keep their own code; anything
        // else the plugin threw is wrapped so reports say which hook failed.
        if (isTrellisShaped(error)) throw error;
        throw new PluginHookFailedError(name, hook, error, errorSummary(error).message);
      });
    try {
      return await withDeadline(running, {
        ms: options.timeoutMs,
        clock: systemClock,
        what: `plugin "${name}" ${hook}`,
      });
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        // The hook keeps running detached; its eventual rejection must not surface as unhandled.
        running.catch(() => undefined);
        throw new PluginHookTimeoutError(name, hook, options.timeoutMs);
      }
      throw error;
    }
  };
  return {
    kind: 'inline',
    has: (hook) => typeof plugin[hook] === 'function',
    async call(hook: PluginHookName, options) {
      const fn = plugin[hook];
      if (fn) await run(hook, () => fn(context), options);
    },
    async health(options): Promise<HealthCheckResult> {
      const fn = plugin.health;
      if (!fn) return { status: 'pass' };
      try {
        const result = await run('health', () => fn(context), options);
        return typeof result === 'string' ? { status: result } : result;
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause ?? error;
        return { status: 'fail', message: errorSummary(cause).message };
      }
    },
    // The context's signal belongs to the scoped context, which the manager aborts itself.
    abort: () => undefined,
    dispose: async () => undefined,
    onExit: () => toDisposer(() => undefined),
    stats: () => ({ kind: 'inline' }),
  };
}

/** True for a `TrellisError` from any copy of core: it has a string `code` and a `fix`. */
function isTrellisShaped(error: unknown): boolean {
  const candidate = error as { code?: unknown; fix?: unknown } | null;
  return typeof candidate?.code === 'string' && typeof candidate.fix === 'string';
}
