import type { DependencyContainer } from 'tsyringe';
import type { EventBus } from '../events/event-bus.js';
import type { TrellisEvents } from '../events/trellis-events.js';
import type { Cache } from '../services/cache.js';
import type { Logger } from '../services/logger.js';
import type { Metrics } from '../services/metrics.js';
import type { Token } from '../token.js';
import type { PluginManifest } from './plugin-manifest.js';

/**
 * A plugin's scoped view of the platform, passed to every hook. Services resolved through it
 * are the plugin's own views: its logger and metrics carry a `plugin` label, its cache is a
 * namespace of the platform cache.
 */
export interface PluginContext<TConfig = unknown> {
  /** The plugin's manifest. */
  readonly manifest: PluginManifest;
  /** The plugin's config slice (`plugins.<name>`), parsed by its `configSchema` when it has one. */
  readonly config: TConfig;
  /** A child logger with `{ plugin: name }`. */
  readonly logger: Logger;
  /** Metrics with a `plugin` label. */
  readonly metrics: Metrics;
  /** The platform cache under the namespace `plugin:<name>`. */
  readonly cache: Cache;
  /** The platform event bus. */
  readonly events: EventBus<TrellisEvents>;
  /** Aborts when the plugin is being stopped; pass it to timers, requests and loops. */
  readonly signal: AbortSignal;
  /**
   * The plugin's own folder for files, when the host gives it one (a plugin store does): it is
   * kept across upgrades, backed up before each, and restored by a rollback. Process-isolated
   * plugins may read and write it without an `fs:` grant.
   */
  readonly dataDir?: string;
  /** The plugin's own child container; registrations here are invisible to other plugins. */
  readonly container: DependencyContainer;
  /** Resolves a service through the plugin's container. */
  resolve<T>(token: Token<T>): T;
}
