import { describeError } from '@trellis/core';
import { PluginHookFailedError } from '../errors.js';

/**
 * The error a failed hook call rejects with. Errors that are themselves Trellis errors (a string
 * `code` and a `fix`: a denied permission, a timeout, a runtime exit, a host error passed back)
 * keep their own code; anything else the plugin threw becomes `PLUGIN_HOOK_FAILED` with it as
 * the cause. Duck-typed, because errors rebuilt from a worker or process, or from another copy of
 * core, are not instances of this copy's TrellisError.
 */
export function hookError(plugin: string, hook: string, error: unknown): Error {
  const candidate = error as { code?: unknown; fix?: unknown } | null;
  if (error instanceof Error && typeof candidate?.code === 'string' && typeof candidate.fix === 'string') {
    return error;
  }
  return new PluginHookFailedError(plugin, hook, error, describeError(error));
}
