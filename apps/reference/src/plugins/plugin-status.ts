/** Where a plugin is: `lazy` plugins wait for their first activation event. */
export type PluginState = 'active' | 'lazy' | 'failed' | 'stopped';

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
  readonly timings: PluginTimings;
  /** Why it failed, when it did. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Renders plugin statuses as a tree for the console:
 *
 * ```
 * plugins: 1 active, 1 failed
 * ├─ hello@0.1.0  active  load 3 ms · setup 1 ms · start 0 ms
 * └─ broken@0.1.0  failed  PLUGIN_LOAD_FAILED: …
 * ```
 */
export function formatPluginTree(statuses: readonly PluginStatus[]): string {
  const count = (state: PluginState) => statuses.filter((s) => s.state === state).length;
  const lazy = count('lazy');
  const lines = [
    `plugins: ${count('active')} active, ${lazy > 0 ? `${lazy} lazy, ` : ''}${count('failed')} failed`,
  ];
  statuses.forEach((s, i) => {
    const branch = i === statuses.length - 1 ? '└─' : '├─';
    const detail = s.error
      ? `${s.error.code}: ${s.error.message.split('\n')[0]}`
      : `load ${s.timings.loadMs} ms · setup ${s.timings.setupMs} ms · start ${s.timings.startMs} ms`;
    lines.push(`${branch} ${s.name}@${s.version}  ${s.state}  ${detail}`);
  });
  return lines.join('\n');
}
