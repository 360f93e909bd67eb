import {
  CONFIG_READER,
  defineModule,
  HTTP_ROUTER,
  LOGGER,
  PLUGIN_CONTROL,
  type PluginControl,
  type PluginIsolation,
  resolveService,
  type TrellisModule,
} from '@trellis/core';
import { PluginManagerStateError, type PluginPolicy, type PluginRuntime } from '@trellis/lifecycle';
import { PLUGIN_HOST } from '../tokens.js';
import { PluginHost, type PluginHostStoreOptions } from './plugin-host.js';

/** Options of {@link createPluginHostModule}. */
export interface PluginHostModuleOptions {
  readonly pluginsDir: string;
  /** Per-plugin deadline for `setup` and `start`; default 10,000 ms. */
  readonly startTimeoutMs?: number;
  /** Per-plugin deadline for `stop`; default 5,000 ms. */
  readonly stopTimeoutMs?: number;
  /** Reload changed plugins while running; default false. */
  readonly watch?: boolean;
  /** Per-plugin policies (isolation override, criticality, grants, deadlines, warm standby). */
  readonly policies?: Readonly<Record<string, PluginPolicy>>;
  /** Run the plugins of a plugin store (deployed from `trellis.plugins.yaml`) instead of the folder. */
  readonly store?: PluginHostStoreOptions;
  /**
   * Runtimes by isolation (heartbeat and heap settings); missing ones get the defaults. Given
   * runtimes belong to the caller, who disposes them after the platform stopped.
   */
  readonly runtimes?: Partial<Record<PluginIsolation, PluginRuntime>>;
}

/** Provides `PLUGIN_HOST` and starts every plugin found in `pluginsDir` when the platform starts. */
export function createPluginHostModule(options: PluginHostModuleOptions): TrellisModule {
  let host: PluginHost | undefined;
  return defineModule({
    name: 'plugin-host',
    provides: [PLUGIN_HOST, PLUGIN_CONTROL],
    dependsOn: [HTTP_ROUTER, CONFIG_READER],
    // Plugins each have their own deadlines; these bound the whole set.
    startTimeoutMs: 120_000,
    stopTimeoutMs: 25_000,
    register(container) {
      host = new PluginHost({
        container,
        logger: resolveService(container, LOGGER).child({ module: 'plugin-host' }),
        pluginsDir: options.pluginsDir,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        watch: options.watch,
        manager: {
          ...(options.policies === undefined ? {} : { policies: options.policies }),
          ...(options.runtimes === undefined ? {} : { runtimes: options.runtimes }),
        },
        ...(options.store === undefined ? {} : { store: options.store }),
      });
      container.register(PLUGIN_HOST, { useValue: host });
      container.register(PLUGIN_CONTROL, { useValue: delegateControl(() => host?.manager) });
    },
    async start() {
      // startAll logs the boot report tree itself.
      await (host as PluginHost).startAll();
    },
    async stop() {
      await host?.stopAll();
    },
  });
}

/** `PLUGIN_CONTROL` for the host's manager, which only exists once plugins boot. */
function delegateControl(manager: () => PluginControl | undefined): PluginControl {
  const current = (action: string): PluginControl => {
    const found = manager();
    if (!found) throw new PluginManagerStateError(action, 'not booted yet');
    return found;
  };
  return {
    list: () => manager()?.list() ?? [],
    get: (name) => manager()?.get(name),
    start: async (name, options) => current(`start plugin "${name}"`).start(name, options),
    stop: async (name, options) => current(`stop plugin "${name}"`).stop(name, options),
    restart: async (name, options) => current(`restart plugin "${name}"`).restart(name, options),
    health: async (name) => current(`check plugin "${name}"`).health(name),
  };
}
