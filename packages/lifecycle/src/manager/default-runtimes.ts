import type { PluginIsolation } from '@trellis/core';
import { InlineRuntime } from '../runtime/inline-runtime.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import { ProcessRuntime } from '../runtime/process-runtime.js';
import { WorkerRuntime } from '../runtime/worker-runtime.js';

/** A runtime of `kind` with default options, for managers not given one. */
export function createDefaultRuntime(kind: PluginIsolation): PluginRuntime {
  if (kind === 'worker') return new WorkerRuntime();
  if (kind === 'process') return new ProcessRuntime();
  return new InlineRuntime();
}
