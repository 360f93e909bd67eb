import type { PluginLifecycleState } from '@trellis/core';

/**
 * Where a plugin is in its life, after OSGi's bundle states: core's `PluginLifecycleState`, which
 * `PLUGIN_CONTROL` reports, so supervisors read the same states without importing this package.
 *
 * `discovered` → `resolved` (dependencies and permissions checked) → `starting` → `active` →
 * `stopping` → `stopped`; `failed` can be entered from any live state, and `uninstalled` is final.
 */
export type PluginState = PluginLifecycleState;

/** Every {@link PluginState}, in life order. */
export const PLUGIN_STATES: readonly PluginState[] = Object.freeze([
  'discovered',
  'resolved',
  'starting',
  'active',
  'stopping',
  'stopped',
  'failed',
  'uninstalled',
] as const);

/**
 * The allowed transitions: `PLUGIN_TRANSITIONS[from]` lists every state reachable from `from` in
 * one step. `starting → stopping` lets a shutdown interrupt a slow start; `failed → stopped` lets
 * a failed plugin be cleaned up; `stopped`/`failed → resolved` lets an upgrade re-resolve it.
 */
export const PLUGIN_TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = Object.freeze({
  discovered: Object.freeze(['resolved', 'failed', 'uninstalled'] as const),
  resolved: Object.freeze(['starting', 'failed', 'uninstalled'] as const),
  starting: Object.freeze(['active', 'stopping', 'failed'] as const),
  active: Object.freeze(['stopping', 'failed'] as const),
  stopping: Object.freeze(['stopped', 'failed'] as const),
  stopped: Object.freeze(['starting', 'resolved', 'uninstalled'] as const),
  failed: Object.freeze(['starting', 'resolved', 'stopped', 'uninstalled'] as const),
  uninstalled: Object.freeze([] as const),
});

/** True when a plugin in state `from` may move to `to` in one step. */
export function canTransition(from: PluginState, to: PluginState): boolean {
  // hasOwn: callers outside TypeScript may pass any string ("toString" included); that is "no".
  return Object.hasOwn(PLUGIN_TRANSITIONS, from) && PLUGIN_TRANSITIONS[from].includes(to);
}
