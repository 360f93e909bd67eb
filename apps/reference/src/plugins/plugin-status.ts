/** Where a plugin is: `lazy` plugins wait for their first activation event. */
export type PluginState = 'active' | 'lazy' | 'starting' | 'failed' | 'stopped';

/** How long each boot step of a plugin took, in ms. */
export interface PluginTimings {
  readonly loadMs: number;
  readonly setupMs: number;
  readonly startMs: number;
}

/** One plugin as the host sees it, for `/health`, the admin API and the boot report. */
export interface PluginStatus {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly state: PluginState;
  /** Where its code runs. */
  readonly isolation: 'inline' | 'worker' | 'process';
  readonly timings: PluginTimings;
  /** Why it failed, when it did. */
  readonly error?: { readonly code: string; readonly message: string };
}
