import type {
  Disposer,
  HealthCheckResult,
  HealthRegistry,
  PluginControl,
  PluginSummary,
} from '@trellis/core';
import type { ResilienceHealthCheckOptions } from './health-types.js';

/**
 * A `plugin.transition` payload as far as plugin health needs it. Declared here, not imported, so
 * this package does not depend on `@trellis/lifecycle` (which declares the event).
 */
export interface PluginTransitionLike {
  readonly plugin: string;
  readonly from: string;
  readonly to: string;
}

/** Anything that reports plugin transitions: the platform's event bus, once lifecycle is loaded. */
export interface PluginTransitionSource {
  /** Subscribes to `plugin.transition`. */
  on(event: 'plugin.transition', listener: (transition: PluginTransitionLike) => unknown): Disposer;
}

/** Options of {@link registerPluginHealth}. */
export interface RegisterPluginHealthOptions {
  /**
   * Ask each plugin on this period (its last answer is served in between); default on demand.
   * A plugin whose manifest sets `health.intervalMs` is asked on its own period instead.
   */
  readonly intervalMs?: number;
  /** Time a plugin's health hook may take, ms; default the manifest's `health.timeoutMs`, else the registry's. */
  readonly timeoutMs?: number;
  /** Check name prefix; default `plugin:`. */
  readonly prefix?: string;
  /** Re-sync on every `plugin.transition` from this source (a plugin installed, a critical flag). */
  readonly events?: PluginTransitionSource;
}

/** The checks {@link registerPluginHealth} keeps; dispose to remove them all. */
export interface PluginHealthBinding extends Disposer {
  /** Adds checks for new plugins and removes those of plugins gone; call after installing plugins. */
  sync(): void;
  /** The check names registered now. */
  names(): readonly string[];
}

/**
 * Feeds plugin health into host readiness: one readiness check per plugin (`plugin:<name>`) that
 * asks `control.health(name)`. A critical plugin's check is critical (it gates readiness), an
 * optional plugin's only degrades it. A lazy plugin still waiting for its activation event
 * (`resolved`) passes: it is healthy by not running yet.
 *
 * @example
 * ```ts
 * const plugins = registerPluginHealth(health, control, { intervalMs: 10_000, events: bus });
 * ```
 */
export function registerPluginHealth(
  registry: HealthRegistry,
  control: PluginControl,
  options: RegisterPluginHealthOptions = {},
): PluginHealthBinding {
  const prefix = options.prefix ?? 'plugin:';
  const registered = new Map<string, { readonly key: string; readonly disposer: Disposer }>();
  const checkOptions = (summary: PluginSummary): ResilienceHealthCheckOptions => {
    const intervalMs = summary.healthIntervalMs ?? options.intervalMs;
    const timeoutMs = options.timeoutMs ?? summary.healthTimeoutMs;
    return {
      probes: ['readiness'],
      critical: summary.critical,
      ...(intervalMs !== undefined ? { intervalMs } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  };
  // A check's options are fixed once registered: a change of any of them re-registers it.
  const keyOf = (summary: PluginSummary) => JSON.stringify(checkOptions(summary));

  const sync = (): void => {
    const present = new Map<string, PluginSummary>();
    for (const summary of control.list())
      if (summary.state !== 'uninstalled') present.set(summary.name, summary);
    for (const [name, entry] of registered) {
      // Gone, or its criticality or period changed (an upgrade brings a new manifest).
      const summary = present.get(name);
      if (summary !== undefined && keyOf(summary) === entry.key) continue;
      entry.disposer.dispose();
      registered.delete(name);
    }
    for (const [name, summary] of present) {
      if (registered.has(name)) continue;
      const disposer = registry.register(
        `${prefix}${name}`,
        () => pluginHealth(control, name),
        checkOptions(summary),
      );
      registered.set(name, { key: keyOf(summary), disposer });
    }
  };

  sync();
  const subscription = options.events?.on('plugin.transition', () => sync());
  return {
    sync,
    names: () => [...registered.keys()].map((name) => `${prefix}${name}`),
    dispose() {
      subscription?.dispose();
      for (const entry of registered.values()) entry.disposer.dispose();
      registered.clear();
    },
  };
}

async function pluginHealth(control: PluginControl, name: string): Promise<HealthCheckResult> {
  const summary = control.get(name);
  if (!summary) return { status: 'fail', message: 'not known to the plugin host' };
  if (summary.state === 'resolved')
    return { status: 'pass', message: 'lazy: waits for its activation event' };
  // Any other state is the host's to judge: a plugin that is not active fails with its state and error.
  return control.health(name);
}
