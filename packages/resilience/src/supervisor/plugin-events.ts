import type { PluginIsolation, PluginLifecycleState, TrellisEvents } from '@trellis/core';

/**
 * `plugin.transition` as `@trellis/lifecycle` publishes it. Declared here, not imported: resilience
 * must not depend on the lifecycle package, only on the event contract.
 */
export interface PluginTransitionPayload {
  readonly plugin: string;
  readonly version: string;
  readonly from: PluginLifecycleState;
  readonly to: PluginLifecycleState;
  readonly at: number;
  readonly durationMs: number;
  readonly reason?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** `plugin.exited` as `@trellis/lifecycle` publishes it: an isolated plugin's worker or process died. */
export interface PluginExitedPayload {
  readonly plugin: string;
  readonly isolation: PluginIsolation;
  readonly reason: 'crash' | 'hang' | 'oom' | 'exit' | 'killed';
  readonly detail: string;
  readonly code?: number;
}

/** The events the plugin supervisor listens to. */
export interface PluginSupervisionEvents {
  'plugin.transition': PluginTransitionPayload;
  'plugin.exited': PluginExitedPayload;
  'platform.stopping': TrellisEvents['platform.stopping'];
}
