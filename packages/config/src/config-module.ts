import { CONFIG_READER, type Disposer, defineModule, LOGGER, type TrellisModule } from '@trellis/core';
import type { Config } from './runtime/config.js';
import type { ConfigSourcePaths } from './runtime/load-config.js';
import { watchConfig } from './runtime/watch-config.js';
import { CONFIG } from './tokens.js';

/** Options of {@link createConfigModule}. */
export interface ConfigModuleOptions<T = unknown> {
  /** A config loaded with `loadConfig` (loading is async, module registration is not). */
  readonly config: Config<T>;
  /** Files to watch for hot reload; omit to disable watching. */
  readonly watch?: ConfigSourcePaths;
}

/**
 * Registers `config` as core's `CONFIG_READER` and as `CONFIG`, watches its files while the
 * platform runs, and logs applied and rejected reloads.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ schema });
 * const platform = createPlatform({ modules: [createConfigModule({ config, watch: resolveSourcePaths({ schema }) })] });
 * ```
 */
export function createConfigModule<T>(options: ConfigModuleOptions<T>): TrellisModule {
  const disposers: Disposer[] = [];
  return defineModule({
    name: 'config',
    provides: [CONFIG_READER, CONFIG],
    register(container) {
      container.register(CONFIG_READER, { useValue: options.config });
      container.register(CONFIG, { useValue: options.config });
    },
    start(ctx) {
      const logger = ctx.resolve(LOGGER).child({ module: 'config' });
      disposers.push(
        options.config.onChange((event) =>
          logger.info(
            { version: event.version, paths: event.paths, reason: event.reason },
            'configuration applied',
          ),
        ),
        options.config.onError((error) =>
          logger.error(
            { err: error },
            'configuration change rejected; the last good configuration stays in force',
          ),
        ),
      );
      if (options.watch) disposers.push(watchConfig(options.config, options.watch));
    },
    stop() {
      for (const disposer of disposers.splice(0)) disposer.dispose();
    },
  });
}
