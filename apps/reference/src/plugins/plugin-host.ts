import { stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { Config, isInvalidConfigSection } from '@trellis/config';
import {
  CLOCK,
  type Clock,
  CONFIG_READER,
  createPluginContext,
  type DependencyContainer,
  type Disposer,
  EVENT_BUS,
  type EventBus,
  HEALTH_REGISTRY,
  HTTP_ROUTER,
  type HttpRouter,
  type Logger,
  type Plugin,
  type PluginContext,
  resolveService,
  TRELLIS_VERSION,
  TrellisError,
  withDeadline,
} from '@trellis/core';
import {
  ActivationController,
  type ActivationTrigger,
  type FoundManifest,
  loadPluginEntry,
  PluginDependencyDisabledError,
  parseActivationEvent,
  ReloadCoordinator,
  type ReloadOutcome,
  resolvePlugins,
  scanPlugins,
  watchPluginFolders,
} from '@trellis/discovery';
import { PluginConfigInvalidError, PluginHookError, PluginHostStoppingError } from '../errors.js';
import { FastifyHttpRouter } from '../http/fastify-http-router.js';
import type { PluginState, PluginStatus, PluginTimings } from './plugin-status.js';

/** Options of {@link PluginHost}. */
export interface PluginHostOptions {
  /** Folder whose sub-folders are plugins. A missing folder means no plugins. */
  readonly pluginsDir: string;
  /** The platform container; each plugin gets a child of it. */
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** Deadline for each plugin's `setup` and `start`; default 10,000 ms. */
  readonly startTimeoutMs?: number;
  /** Deadline for each plugin's `stop`; default 5,000 ms. */
  readonly stopTimeoutMs?: number;
  /** Watch plugin folders and reload a changed plugin with its dependents; default false. */
  readonly watch?: boolean;
}

interface Entry {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly found?: FoundManifest;
  state: PluginState;
  timings: PluginTimings;
  error?: { code: string; message: string };
  plugin?: Plugin;
  previous?: Plugin;
  context?: PluginContext;
  abort?: AbortController;
  readonly disposers: Disposer[];
  /** Route handler calls in progress, so a stop can let them finish first. */
  readonly inflight: InFlight;
  /** Health check registration; outlives stops and reloads. */
  health?: Disposer;
}

/**
 * The reference app's plugin host, on `@trellis/discovery`: scans the plugins folder, resolves
 * dependencies into start waves (disabling, with reasons, what cannot start), starts eager
 * plugins in order and activates lazy ones on their first route, event, service or command.
 * One bad plugin (manifest, import, config, hook, hang) fails alone. With `watch`, a changed
 * plugin is reloaded with its dependents; if the new code fails, the previous version keeps
 * running. `@trellis/lifecycle` will take over states, isolation and upgrades.
 */
export class PluginHost {
  readonly #options: PluginHostOptions;
  readonly #clock: Clock;
  readonly #activation: ActivationController;
  readonly #entries = new Map<string, Entry>();
  readonly #subscriptions: Disposer[] = [];
  #order: string[] = [];
  #dependents = new Map<string, string[]>();
  #reloads: ReloadCoordinator | undefined;
  #stopping = false;

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#clock = resolveService(options.container, CLOCK);
    this.#activation = new ActivationController({ clock: this.#clock });
  }

  /** Every plugin found, in start order, then those that could not be resolved. */
  list(): readonly PluginStatus[] {
    return [...this.#entries.values()].map(({ name, version, dir, state, timings, error }) => ({
      name,
      version,
      dir,
      state,
      timings,
      ...(error ? { error } : {}),
    }));
  }

  /** Finds, resolves and starts the plugins; never rejects for a plugin's fault. */
  async startAll(): Promise<readonly PluginStatus[]> {
    if (!(await isDirectory(this.#options.pluginsDir))) {
      this.#options.logger.warn({ dir: this.#options.pluginsDir }, 'plugins folder not readable; no plugins');
      return [];
    }
    const scan = await scanPlugins({ roots: [this.#options.pluginsDir], maxDepth: 1 });
    for (const problem of scan.problems) this.#recordScanProblem(problem);
    const resolution = resolvePlugins(
      scan.plugins.map((found) => ({ manifest: found.manifest, location: this.#where(found.dir) })),
      { platformVersion: TRELLIS_VERSION },
    );
    const byName = new Map(scan.plugins.map((found) => [found.manifest.name, found]));
    for (const name of resolution.order) {
      const found = byName.get(name) as FoundManifest;
      this.#entries.set(name, newEntry(name, found.manifest.version, found.dir, found));
    }
    for (const [name, disabled] of resolution.disabled) {
      const found = byName.get(name);
      const entry = newEntry(name, found?.manifest.version ?? '0.0.0', found?.dir ?? '', found);
      setFailed(entry, disabled.reason);
      this.#entries.set(name, entry);
    }
    this.#order = [...resolution.order];
    this.#dependents = invert(resolution.edges);

    for (const name of this.#order) {
      const entry = this.#entries.get(name) as Entry;
      const activation = entry.found?.manifest.activation ?? 'eager';
      if (activation === 'eager') await this.#activateEntry(entry).catch(() => undefined);
      else this.#registerLazy(entry, activation);
    }
    this.#wireTriggers();
    for (const entry of this.#entries.values()) this.#registerHealth(entry);
    if (this.#options.watch) this.#watch();
    return this.list();
  }

  /**
   * Activates the lazy plugins a trigger matches (a service token or command id; routes and
   * events are wired automatically). Resolves to the names that are active afterwards.
   */
  activate(trigger: ActivationTrigger): Promise<string[]> {
    return this.#activation.trigger(trigger);
  }

  /** Reloads plugins (and their dependents) from disk now, as a file change would. */
  reload(names: readonly string[]): Promise<ReloadOutcome> {
    this.#reloads ??= this.#createReloader();
    return this.#reloads.reload(names);
  }

  /** Stops active plugins in reverse start order, each within its deadline. */
  async stopAll(): Promise<void> {
    // No activation or reload may start a plugin after this point.
    this.#stopping = true;
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    for (const name of [...this.#order].reverse()) {
      const entry = this.#entries.get(name) as Entry;
      if (entry.state !== 'active') continue;
      try {
        await this.#stopHooks(entry);
      } catch (error) {
        this.#options.logger.error({ err: error, plugin: entry.name }, 'plugin stop failed');
      }
      entry.state = 'stopped';
    }
  }

  async #activateEntry(entry: Entry): Promise<void> {
    if (this.#stopping) throw new PluginHostStoppingError(entry.name);
    // A lazy plugin's dependencies start first, lazy or not.
    const manifest = entry.found?.manifest;
    for (const dependency of Object.keys({ ...manifest?.optionalDependencies, ...manifest?.dependencies })) {
      const other = this.#entries.get(dependency);
      if (other?.state === 'lazy')
        await this.#activation.trigger({ kind: 'command', value: `__dependency:${dependency}` });
    }
    try {
      for (const dependency of Object.keys(manifest?.dependencies ?? {})) {
        const other = this.#entries.get(dependency);
        if (other?.state === 'failed') {
          throw new PluginDependencyDisabledError(
            entry.name,
            dependency,
            other.error?.message ?? 'it failed',
          );
        }
      }
      const t0 = this.#clock.now();
      const loaded = await loadPluginEntry({
        name: entry.name,
        dir: entry.dir,
        main: manifest?.main ?? 'index.js',
      });
      if (!loaded.ok) throw loaded.error;
      const t1 = this.#clock.now();
      await this.#setupAndStart(entry, loaded.plugin);
      entry.timings = { ...entry.timings, loadMs: t1 - t0 };
      entry.state = 'active';
      delete entry.error;
    } catch (error) {
      await this.#fail(entry, error);
      throw error;
    }
  }

  async #setupAndStart(entry: Entry, plugin: Plugin): Promise<void> {
    const manifest = entry.found?.manifest;
    if (!manifest)
      throw new TrellisError('PLUGIN_MANIFEST_INVALID', `Plugin "${entry.name}" has no manifest.`);
    entry.plugin = plugin;
    const config = this.#parseConfig(entry.name, plugin);
    entry.abort = new AbortController();
    const context = createPluginContext({
      parent: this.#options.container,
      manifest,
      config,
      signal: entry.abort.signal,
    });
    entry.context = context;
    const root = resolveService(this.#options.container, HTTP_ROUTER);
    context.container.register(HTTP_ROUTER, {
      useValue: tracking(root.scope(`/plugins/${entry.name}`), entry.disposers, entry.inflight),
    });
    const t1 = this.#clock.now();
    await this.#hook(entry, 'setup', this.#options.startTimeoutMs ?? 10_000);
    const t2 = this.#clock.now();
    await this.#hook(entry, 'start', this.#options.startTimeoutMs ?? 10_000);
    entry.timings = { loadMs: entry.timings.loadMs, setupMs: t2 - t1, startMs: this.#clock.now() - t2 };
  }

  #registerLazy(entry: Entry, activation: readonly string[]): void {
    entry.state = 'lazy';
    const events = activation.map(parseActivationEvent).filter((e) => e !== undefined);
    // A private command lets a dependent activate this plugin before itself.
    const self = parseActivationEvent(`onCommand:__dependency:${entry.name}`);
    this.#subscriptions.push(
      this.#activation.register({
        name: entry.name,
        events: self ? [...events, self] : events,
        activate: () => this.#activateEntry(entry),
      }),
    );
  }

  #wireTriggers(): void {
    const root = resolveService(this.#options.container, HTTP_ROUTER);
    if (root instanceof FastifyHttpRouter) {
      root.onUnmatched(
        async (_method, path) => (await this.#activation.trigger({ kind: 'route', value: path })).length > 0,
      );
    }
    const bus = resolveService(this.#options.container, EVENT_BUS) as unknown as EventBus<
      Record<string, unknown>
    >;
    const names = new Set<string>();
    for (const entry of this.#entries.values()) {
      const activation = entry.found?.manifest.activation;
      if (!Array.isArray(activation)) continue;
      for (const event of activation)
        if (event.startsWith('onEvent:')) names.add(event.slice('onEvent:'.length));
    }
    for (const name of names) {
      this.#subscriptions.push(
        bus.on(name, () => void this.#activation.trigger({ kind: 'event', value: name })),
      );
    }
  }

  #parseConfig(name: string, plugin: Plugin): unknown {
    const reader = resolveService(this.#options.container, CONFIG_READER);
    const raw = reader.get(`plugins.${name}`) ?? {};
    if (isInvalidConfigSection(raw)) {
      // The slice was isolated by the config schema: this plugin fails, the others run.
      const explain = reader instanceof Config ? reader : undefined;
      throw new PluginConfigInvalidError(
        name,
        raw.problems.map((p) => `${p.path}: ${p.message}${originNote(explain, p.path)}`),
      );
    }
    if (!plugin.configSchema) return raw;
    const parsed = plugin.configSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    throw new PluginConfigInvalidError(
      name,
      parsed.error.issues.map((issue) => `plugins.${name}.${issue.path.join('.')}: ${issue.message}`),
    );
  }

  async #hook(entry: Entry, hook: 'setup' | 'start' | 'stop', ms: number): Promise<void> {
    const fn = entry.plugin?.[hook];
    if (!fn || !entry.context) return;
    const context = entry.context;
    const run = Promise.resolve()
      .then(() => fn(context))
      .catch((error: unknown) => {
        throw new PluginHookError(entry.name, hook, error);
      });
    await withDeadline(run, {
      ms,
      clock: this.#clock,
      what: `plugin "${entry.name}" ${hook}`,
      fix: `Make ${hook}() of "${entry.name}" finish sooner: start long work in the background and stop it on ctx.signal.`,
    });
  }

  async #stopHooks(entry: Entry): Promise<void> {
    // No new calls reach a stopping plugin; calls in flight finish (within the stop deadline)
    // before its signal aborts and its stop hook runs.
    for (const disposer of entry.disposers.splice(0)) disposer.dispose();
    const ms = this.#options.stopTimeoutMs ?? 5_000;
    await withDeadline(entry.inflight.idle(), {
      ms,
      clock: this.#clock,
      what: `calls in flight to "${entry.name}"`,
    }).catch((error: unknown) =>
      this.#options.logger.warn({ err: error, plugin: entry.name }, 'stopping with calls still in flight'),
    );
    entry.abort?.abort(new Error(`plugin "${entry.name}" is stopping`));
    try {
      await this.#hook(entry, 'stop', ms);
    } finally {
      // Each start builds a fresh child container; release this one with what the plugin registered.
      await entry.context?.container.dispose();
      entry.context = undefined;
    }
  }

  async #fail(entry: Entry, error: unknown): Promise<void> {
    setFailed(entry, error);
    this.#options.logger.error(
      { err: error, plugin: entry.name },
      'plugin failed to start; continuing without it',
    );
    // Release whatever setup acquired; a failing stop must not hide the original error.
    await this.#stopHooks(entry).catch((stopError: unknown) =>
      this.#options.logger.warn({ err: stopError, plugin: entry.name }, 'cleanup of failed plugin failed'),
    );
  }

  #registerHealth(entry: Entry): void {
    const registry = resolveService(this.#options.container, HEALTH_REGISTRY);
    entry.health = registry.register(
      `plugin:${entry.name}`,
      async () => {
        if (entry.state === 'failed') return { status: 'fail', message: entry.error?.message };
        if (entry.state === 'lazy')
          return { status: 'pass', message: 'lazy: starts on its first activation event' };
        if (entry.state === 'stopped') return { status: 'warn', message: 'stopped' };
        const health = entry.plugin?.health;
        return health && entry.context ? health(entry.context) : 'pass';
      },
      {
        critical: entry.found?.manifest.health?.critical ?? false,
        timeoutMs: entry.found?.manifest.health?.timeoutMs,
      },
    );
  }

  #recordScanProblem(problem: TrellisError): void {
    const details = problem.details as { file?: string; path?: string; plugin?: string; loser?: string };
    const where = details.loser ?? (details.file ? dirname(details.file) : (details.path ?? 'unknown'));
    const name =
      problem.code === 'PLUGIN_NAME_TAKEN' ? `${details.plugin} (${this.#where(where)})` : this.#where(where);
    const entry = newEntry(name, '0.0.0', where);
    setFailed(entry, problem);
    this.#entries.set(name, entry);
  }

  #watch(): void {
    const folders = this.#order.map((name) => ({ name, dir: (this.#entries.get(name) as Entry).dir }));
    this.#subscriptions.push(
      watchPluginFolders(folders, (names) => void this.reload(names), {
        onError: (name, error) =>
          this.#options.logger.warn({ err: error, plugin: name }, 'plugin folder watch failed'),
      }),
    );
  }

  #createReloader(): ReloadCoordinator {
    const reloads = new ReloadCoordinator(
      {
        stop: async (name) => {
          const entry = this.#entries.get(name) as Entry;
          // What ran before this reload: the version restorePrevious brings back if the new one fails.
          entry.previous = entry.plugin;
          await this.#stopHooks(entry);
          entry.state = 'stopped';
        },
        load: (name) => {
          const entry = this.#entries.get(name) as Entry;
          return loadPluginEntry(
            { name, dir: entry.dir, main: entry.found?.manifest.main ?? 'index.js' },
            { fresh: true },
          );
        },
        start: async (name, plugin) => {
          const entry = this.#entries.get(name) as Entry;
          if (this.#stopping) throw new PluginHostStoppingError(name);
          try {
            await this.#setupAndStart(entry, plugin ?? (entry.plugin as Plugin));
            entry.state = 'active';
          } catch (error) {
            await this.#stopHooks(entry).catch(() => undefined);
            entry.state = 'stopped';
            throw error;
          }
        },
        restorePrevious: async (name) => {
          const entry = this.#entries.get(name) as Entry;
          await this.#setupAndStart(entry, (entry.previous ?? entry.plugin) as Plugin);
          entry.state = 'active';
        },
      },
      {
        dependents: (name) => this.#dependents.get(name) ?? [],
        startOrder: () => this.#order.filter((name) => this.#entries.get(name)?.state === 'active'),
        clock: this.#clock,
      },
    );
    reloads.onReloaded((outcome) =>
      this.#options.logger.info({ plugins: outcome.changed }, 'plugins reloaded'),
    );
    reloads.onReloadFailed((outcome) =>
      this.#options.logger.error(
        { failures: outcome.failures },
        'plugin reload failed; previous versions kept running',
      ),
    );
    return reloads;
  }

  #where(path: string): string {
    return relative(this.#options.pluginsDir, path) || path;
  }
}

function newEntry(name: string, version: string, dir: string, found?: FoundManifest): Entry {
  return {
    name,
    version,
    dir,
    found,
    state: 'stopped',
    timings: { loadMs: 0, setupMs: 0, startMs: 0 },
    disposers: [],
    inflight: new InFlight(),
  };
}

/** Counts calls in progress and tells waiters when none are left. */
class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];

  async run<T>(call: () => Promise<T>): Promise<T> {
    this.#count += 1;
    try {
      return await call();
    } finally {
      this.#count -= 1;
      if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}

function setFailed(entry: Entry, error: unknown): void {
  entry.state = 'failed';
  entry.error = {
    code: error instanceof TrellisError ? error.code : 'PLUGIN_HOOK_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** dependency → plugins that depend on it. */
function invert(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const [name, deps] of edges) {
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), name]);
  }
  return dependents;
}

/**
 * A router that remembers every route it serves, so the host can withdraw them on stop, and
 * counts calls in progress, so a stop can wait for them.
 */
function tracking(router: HttpRouter, disposers: Disposer[], inflight: InFlight): HttpRouter {
  return {
    basePath: router.basePath,
    route(route) {
      const disposer = router.route({
        ...route,
        handler: (request) => inflight.run(async () => route.handler(request)),
      });
      disposers.push(disposer);
      return disposer;
    },
    scope: (prefix) => tracking(router.scope(prefix), disposers, inflight),
  };
}

/** ` (from <origin>)` for a path of a loaded config, or nothing when it cannot be explained. */
function originNote(config: Config<unknown> | undefined, path: string): string {
  if (!config) return '';
  try {
    return ` (from ${config.explain(path).origin})`;
  } catch {
    return '';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
