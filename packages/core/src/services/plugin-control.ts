import type { PluginIsolation } from '../plugin/plugin-manifest.js';
import type { HealthCheckResult } from './health-registry.js';

/**
 * A plugin's state as the plugin host tracks it, after OSGi's bundle lifecycle:
 * `discovered → resolved → starting → active → stopping → stopped`, plus `failed` and
 * `uninstalled`. A lazy plugin waits in `resolved` for its first activation event.
 */
export type PluginLifecycleState =
  | 'discovered'
  | 'resolved'
  | 'starting'
  | 'active'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | 'uninstalled';

/** One plugin as {@link PluginControl.list} reports it. */
export interface PluginSummary {
  readonly name: string;
  readonly version: string;
  readonly state: PluginLifecycleState;
  readonly isolation: PluginIsolation;
  /** A failing critical plugin fails host readiness; others degrade it. */
  readonly critical: boolean;
  /** Names of the plugins it starts after. */
  readonly dependencies: readonly string[];
  /** How often its health should be asked, ms: the manifest's `health.intervalMs`, when it has one. */
  readonly healthIntervalMs?: number;
  /** How long its health check may take, ms: the manifest's `health.timeoutMs`, when it has one. */
  readonly healthTimeoutMs?: number;
  /** Why it is failed, when it is. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Who asked for a plugin operation, for the audit log. */
export interface PluginActor {
  /** A user id, a service account, or `system` for the platform itself (a supervisor...). */
  readonly id: string;
  /** Where the request came from: `cli`, `admin-api`, `supervisor`... */
  readonly via?: string;
}

/** Options of {@link PluginControl.restart}. */
export interface PluginRestartOptions {
  /** Also restart every plugin that depends on it, directly or not (Erlang's `rest_for_one`); default true. */
  readonly withDependents?: boolean;
  /** Load the plugin's code again from disk (a fresh module); default false. */
  readonly reload?: boolean;
  readonly actor?: PluginActor;
}

/**
 * Plugin-control contract (token `PLUGIN_CONTROL`), provided by `@trellis/lifecycle`'s plugin
 * manager. Supervisors, the admin API and the CLI drive plugins through it without importing the
 * lifecycle package.
 */
export interface PluginControl {
  /** Every plugin the host knows, in start order. */
  list(): readonly PluginSummary[];
  /** One plugin; `undefined` when the host does not know it. */
  get(name: string): PluginSummary | undefined;
  /** Starts a resolved, stopped or failed plugin (its dependencies first). */
  start(name: string, options?: { readonly actor?: PluginActor }): Promise<PluginSummary>;
  /** Stops a plugin and, first, every active plugin that depends on it. */
  stop(name: string, options?: { readonly actor?: PluginActor }): Promise<PluginSummary>;
  /** Stops and starts a plugin again, by default with its dependents. */
  restart(name: string, options?: PluginRestartOptions): Promise<PluginSummary>;
  /** Runs the plugin's health hook within its deadline; a plugin that is not active fails. */
  health(name: string): Promise<HealthCheckResult>;
}
