import {
  defineModule,
  EVENT_BUS,
  LOGGER,
  PLUGIN_CONTROL,
  type PluginControl,
  type PluginSummary,
  type TrellisModule,
} from '@trellis/core';
import { PluginManagerStateError } from './errors.js';
import { PluginManager } from './manager/plugin-manager.js';
import type { ManagedPluginInput, PluginManagerOptions } from './manager/plugin-manager-options.js';
import type { BootReport } from './report/boot-report.js';

/** Options of {@link createLifecycleModule}. */
export interface LifecycleModuleOptions extends Omit<PluginManagerOptions, 'container' | 'plugins'> {
  /** The plugins, or a function that finds them when the module starts (a discovery scan...). */
  readonly plugins: readonly ManagedPluginInput[] | (() => Promise<readonly ManagedPluginInput[]>);
  /** Called with the boot report once plugins are up, e.g. to print it. */
  readonly onBoot?: (report: BootReport, manager: PluginManager) => void;
  /** Deadline for the whole boot, in ms; default 120,000. */
  readonly startTimeoutMs?: number;
  /** Deadline for stopping every plugin, in ms; default 60,000. */
  readonly stopTimeoutMs?: number;
}

/**
 * The lifecycle package as a platform module: on start it builds a {@link PluginManager} over the
 * platform container and boots the plugins; on stop it shuts them down, dependents first. It
 * provides `PLUGIN_CONTROL`, through which supervisors, the admin API and the CLI drive plugins.
 *
 * @example
 * ```ts
 * const platform = createPlatform({
 *   modules: [createLifecycleModule({ plugins: async () => (await scanPlugins({ roots: ['plugins'] })).plugins })],
 * });
 * await platform.start();
 * await platform.resolve(PLUGIN_CONTROL).restart('billing', { actor: { id: 'alice' } });
 * ```
 */
export function createLifecycleModule(options: LifecycleModuleOptions): TrellisModule {
  let manager: PluginManager | undefined;
  const current = (action: string): PluginManager => {
    if (!manager) throw new PluginManagerStateError(action, 'not started yet');
    return manager;
  };
  const control: PluginControl = {
    list: () => manager?.list() ?? [],
    get: (name) => manager?.get(name),
    start: async (name, opts): Promise<PluginSummary> => current(`start plugin "${name}"`).start(name, opts),
    stop: async (name, opts) => current(`stop plugin "${name}"`).stop(name, opts),
    restart: async (name, opts) => current(`restart plugin "${name}"`).restart(name, opts),
    health: async (name) => current(`check plugin "${name}"`).health(name),
  };
  const { plugins, onBoot, startTimeoutMs, stopTimeoutMs, ...managerOptions } = options;
  return defineModule({
    name: 'lifecycle',
    provides: [PLUGIN_CONTROL],
    dependsOn: [LOGGER, EVENT_BUS],
    startTimeoutMs: startTimeoutMs ?? 120_000,
    stopTimeoutMs: stopTimeoutMs ?? 60_000,
    register(container) {
      container.register(PLUGIN_CONTROL, { useValue: control });
    },
    async start({ container }) {
      const inputs = typeof plugins === 'function' ? await plugins() : plugins;
      manager = new PluginManager({ ...managerOptions, container, plugins: inputs });
      const report = await manager.boot();
      onBoot?.(report, manager);
    },
    async stop() {
      await manager?.shutdown();
    },
  });
}
