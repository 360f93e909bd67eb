import type { PluginIsolation } from '@trellis/core';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';

/** TEMPORARY until the runtimes land. */
export function createDefaultRuntime(kind: PluginIsolation): PluginRuntime {
  throw new Error(`no ${kind} runtime yet`);
}
