import type { DependencyContainer } from 'tsyringe';
import { resolveService } from '../resolve-service.js';
import type { Token } from '../token.js';
import { CACHE, EVENT_BUS, LOGGER, METRICS } from '../tokens.js';
import type { PluginContext } from './plugin-context.js';
import type { PluginManifest } from './plugin-manifest.js';

/** Options of {@link createPluginContext}. */
export interface PluginContextOptions<TConfig> {
  /** The platform container (or a parent scope); the plugin gets a child of it. */
  readonly parent: DependencyContainer;
  readonly manifest: PluginManifest;
  /** The plugin's parsed config slice. */
  readonly config: TConfig;
  /** Aborted by the host when it stops the plugin. */
  readonly signal: AbortSignal;
  /** The plugin's data folder, when the host gives it one. */
  readonly dataDir?: string;
}

/**
 * Builds a plugin's {@link PluginContext}: a child container in which `LOGGER`, `METRICS` and
 * `CACHE` resolve to the plugin's own labelled or namespaced views, so code written against the
 * tokens is scoped without knowing it. Plugin hosts (the lifecycle package, the reference app)
 * call this; plugins only receive the result.
 */
export function createPluginContext<TConfig>(options: PluginContextOptions<TConfig>): PluginContext<TConfig> {
  const { manifest, parent } = options;
  const container = parent.createChildContainer();
  const logger = resolveService(parent, LOGGER).child({ plugin: manifest.name });
  const metrics = resolveService(parent, METRICS).withLabels({ plugin: manifest.name });
  const cache = resolveService(parent, CACHE).namespace(`plugin:${manifest.name}`);
  container.register(LOGGER, { useValue: logger });
  container.register(METRICS, { useValue: metrics });
  container.register(CACHE, { useValue: cache });
  return Object.freeze({
    manifest,
    config: options.config,
    logger,
    metrics,
    cache,
    events: resolveService(parent, EVENT_BUS),
    signal: options.signal,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    container,
    resolve: <T>(token: Token<T>): T => resolveService(container, token),
  });
}
