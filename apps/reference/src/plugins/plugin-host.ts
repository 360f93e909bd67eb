import { access, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { Config, isInvalidConfigSection } from '@trellis/config';
import {
  CONFIG_READER,
  type DependencyContainer,
  type Disposer,
  HTTP_ROUTER,
  type HttpResponse,
  type HttpRouter,
  type Logger,
  resolveService,
  runInPluginScope,
  type TrellisError,
} from '@trellis/core';
import { type ActivationTrigger, scanPlugins, watchPluginFolders } from '@trellis/discovery';
import {
  applyDeployment,
  type BootReport,
  formatBootReport,
  type HealthGateOptions,
  type ManagedPluginInput,
  PluginConfigInvalidError,
  PluginDeployer,
  PluginManager,
  type PluginManagerOptions,
  type PluginReloadOutcome,
  type PluginStore,
  planDeployment,
  renderPlan,
} from '@trellis/lifecycle';
import {
  type AdaptiveConcurrencyLimiter,
  CHAOS,
  FAILURE_PREDICTOR,
  type FailurePredictor,
  type FaultInjector,
  LIMITERS,
} from '@trellis/resilience';
import { FastifyHttpRouter } from '../http/fastify-http-router.js';
import { InFlight } from './in-flight.js';
import type { PluginState, PluginStatus } from './plugin-status.js';

/** Options of {@link PluginHost}. */
export interface PluginHostOptions {
  /** Folder whose sub-folders are plugins. A missing folder means no plugins. */
  readonly pluginsDir: string;
  /** The platform container; each plugin gets a permission-gated child of it. */
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** Deadline for each plugin's `setup` and `start`; default 10,000 ms. */
  readonly startTimeoutMs?: number;
  /** Deadline for each plugin's `stop` (calls in flight get the same); default 5,000 ms. */
  readonly stopTimeoutMs?: number;
  /** Watch plugin folders and reload a changed plugin with its dependents; default false. */
  readonly watch?: boolean;
  /** Further manager options: concurrency, per-plugin policies, runtimes. */
  readonly manager?: Partial<Omit<PluginManagerOptions, 'container' | 'plugins'>>;
  /** Run the plugins of a plugin store instead of scanning `pluginsDir`. */
  readonly store?: PluginHostStoreOptions;
}

/** The plugin store a host runs plugins from, and how it deploys into it. */
export interface PluginHostStoreOptions {
  readonly store: PluginStore;
  /**
   * `trellis.plugins.yaml`: applied to the store before boot, like `trellis plugins apply` (a
   * no-op when they already match), so the file is the source of truth of what runs.
   */
  readonly desiredState?: string;
  /** The health gate of live upgrades, downgrades and rollbacks. */
  readonly gate?: HealthGateOptions;
}

/** Per-plugin HTTP bookkeeping: the routes it serves, its calls in flight, who watches them. */
interface PluginRoutes {
  readonly disposers: Disposer[];
  readonly inflight: InFlight;
  /** Chaos drills, when the resilience module is there. */
  readonly chaos?: FaultInjector;
  /** Failure prediction, fed every call's outcome and latency. */
  readonly predictor?: FailurePredictor;
  /** The plugin's adaptive concurrency limit. */
  readonly limiter?: AdaptiveConcurrencyLimiter;
  /** Until when (epoch ms) half of the plugin's calls are refused: a predicted overload. */
  readonly shedding: { until: number };
}

/**
 * The reference app's plugin host: finds plugins with `@trellis/discovery` and runs them through
 * `@trellis/lifecycle`'s {@link PluginManager} (states, waves, permission-gated containers,
 * inline/worker/process isolation). What it adds is the app's side: each plugin's config slice,
 * an HTTP router scoped to `/plugins/<name>` whose calls in flight finish before the plugin stops,
 * lazy activation on unmatched routes, a health check per plugin, and reload on file changes.
 */
export class PluginHost {
  readonly #options: PluginHostOptions;
  readonly #routes = new Map<string, PluginRoutes>();
  readonly #problems: PluginStatus[] = [];
  readonly #subscriptions: Disposer[] = [];
  #manager: PluginManager | undefined;
  #deployer: PluginDeployer | undefined;
  #report: BootReport | undefined;

  constructor(options: PluginHostOptions) {
    this.#options = options;
  }

  /** The plugin manager, once {@link startAll} ran. */
  get manager(): PluginManager | undefined {
    return this.#manager;
  }

  /** The boot report, once {@link startAll} ran. */
  get report(): BootReport | undefined {
    return this.#report;
  }

  /** Every plugin found, in start order, then those that could not be resolved or read. */
  list(): readonly PluginStatus[] {
    const manager = this.#manager;
    const managed = manager
      ? manager.list().map((summary): PluginStatus => {
          const details = manager.details(summary.name);
          return {
            name: summary.name,
            version: summary.version,
            dir: details.dir,
            state: statusOf(summary.state, details.lazy),
            isolation: summary.isolation,
            timings: details.timings,
            ...(summary.error ? { error: summary.error } : {}),
          };
        })
      : [];
    return [...managed, ...this.#problems];
  }

  /** Installs, upgrades and rolls back plugins live; present when the host runs a plugin store. */
  get deployer(): PluginDeployer | undefined {
    return this.#deployer;
  }

  /** Finds, resolves and starts the plugins; never rejects for a plugin's fault. */
  async startAll(): Promise<readonly PluginStatus[]> {
    const { logger } = this.#options;
    const plugins = this.#options.store
      ? await this.#storeInputs(this.#options.store)
      : await this.#folderInputs();
    if (plugins === undefined) return [];
    const startMs = this.#options.startTimeoutMs ?? 10_000;
    const stopMs = this.#options.stopTimeoutMs ?? 5_000;
    const manager = new PluginManager({
      ...this.#options.manager,
      container: this.#options.container,
      timeouts: { setupMs: startMs, startMs, stopMs, ...this.#options.manager?.timeouts },
      plugins,
      ...(this.#options.store
        ? { dataDir: (name: string) => this.#options.store?.store.layout.data(name) }
        : {}),
      provide: ({ name }) => {
        const container = this.#options.container;
        const routes: PluginRoutes = {
          disposers: [],
          inflight: new InFlight(),
          ...(container.isRegistered(CHAOS, true) ? { chaos: resolveService(container, CHAOS) } : {}),
          ...(container.isRegistered(FAILURE_PREDICTOR, true)
            ? { predictor: resolveService(container, FAILURE_PREDICTOR) }
            : {}),
          ...(container.isRegistered(LIMITERS, true)
            ? { limiter: resolveService(container, LIMITERS).forPlugin(name) }
            : {}),
          shedding: this.#routes.get(name)?.shedding ?? { until: 0 },
        };
        this.#routes.set(name, routes);
        const root = resolveService(this.#options.container, HTTP_ROUTER);
        return [
          {
            token: HTTP_ROUTER,
            value: tracking(root.scope(`/plugins/${name}`), routes, name),
            // Released with the plugin's containers: a failed or stopped plugin serves nothing.
            release: () => {
              for (const disposer of routes.disposers.splice(0)) disposer.dispose();
            },
          },
        ];
      },
    });
    this.#manager = manager;
    // No new calls reach a stopping plugin; calls in flight finish first, within the stop deadline.
    this.#subscriptions.push(
      manager.hooks.on('beforeStop', async ({ plugin }) => void (await this.#drain(plugin, stopMs)), {
        name: 'drain-http',
        timeoutMs: stopMs + 1_000,
      }),
    );
    this.#report = await manager.boot();
    this.#wireRouteTrigger(manager);
    if (this.#options.store) {
      this.#deployer = this.#deployerFor(this.#options.store, manager);
      // Plugins an offline `trellis plugins upgrade` switched are gated now that they run.
      for (const gate of await this.#deployer.runPendingGates()) {
        if (!gate.passed)
          logger.warn({ plugin: gate.plugin }, 'health gate failed after an offline upgrade; rolled back');
      }
    } else if (this.#options.watch) this.#watch(manager);
    logger.info({ plugins: this.list() }, formatBootReport(this.#report));
    return this.list();
  }

  /** Activates the lazy plugins a trigger matches; resolves to the names active afterwards. */
  activate(trigger: ActivationTrigger): Promise<string[]> {
    return this.#manager ? this.#manager.activate(trigger) : Promise.resolve([]);
  }

  /**
   * Refuses half of `name`'s HTTP calls (503, `Retry-After`) for `forMs`: what failure prediction
   * asks for when a plugin's error budget or latency trend says it is heading for overload.
   */
  shed(name: string, forMs: number): void {
    const routes = this.#routes.get(name);
    if (routes) routes.shedding.until = Date.now() + forMs;
  }

  /** Reloads plugins (and their dependents) from disk now, as a file change would. */
  reload(names: readonly string[]): Promise<PluginReloadOutcome> {
    return this.#manager
      ? this.#manager.reload(names)
      : Promise.resolve({ ok: true, reloaded: [], failures: [] });
  }

  /** Stops every plugin, dependents before their dependencies, each within its deadline. */
  async stopAll(): Promise<void> {
    await this.#manager?.shutdown();
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
  }

  async #folderInputs(): Promise<ManagedPluginInput[] | undefined> {
    const { pluginsDir, logger } = this.#options;
    if (!(await isDirectory(pluginsDir))) {
      logger.warn({ dir: pluginsDir }, 'plugins folder not readable; no plugins');
      return undefined;
    }
    const scan = await scanPlugins({ roots: [pluginsDir], maxDepth: 1 });
    for (const problem of scan.problems) this.#recordScanProblem(problem);
    return scan.plugins.map((found) => ({
      manifest: found.manifest,
      dir: found.dir,
      location: this.#where(found.dir),
      config: () => this.#configFor(found.manifest.name),
    }));
  }

  async #storeInputs(options: PluginHostStoreOptions): Promise<ManagedPluginInput[]> {
    const { store, desiredState } = options;
    const { logger } = this.#options;
    if (
      desiredState !== undefined &&
      (await access(desiredState).then(
        () => true,
        () => false,
      ))
    ) {
      const plan = await planDeployment(store, desiredState);
      if (plan.actions.length > 0 || plan.problems.length > 0)
        logger.info({ file: desiredState }, renderPlan(plan));
      if (plan.problems.length === 0 && plan.actions.length > 0) {
        const result = await applyDeployment(this.#deployerFor(options), plan, {
          actor: { id: 'system', via: 'trellis.plugins.yaml' },
        });
        if (result.failed) {
          logger.error(
            { action: result.failed.action, err: result.failed.error },
            `applying ${desiredState} stopped at ${result.failed.action.kind} ${result.failed.action.name}`,
          );
        }
      }
    }
    const { inputs, refused } = await store.managedInputs((name, stored) =>
      this.#storeConfigFor(name, stored),
    );
    for (const { plugin, error } of refused) {
      this.#problems.push({
        name: plugin,
        version: store.get(plugin)?.active ?? '0.0.0',
        dir: store.get(plugin)?.dir ?? store.layout.root,
        state: 'failed',
        isolation: 'inline',
        timings: { loadMs: 0, setupMs: 0, startMs: 0 },
        error: { code: (error as { code?: string }).code ?? 'ERROR', message: error.message },
      });
      logger.error({ plugin, err: error }, 'plugin refused by the store');
    }
    return inputs;
  }

  /**
   * The plugin's config from the store: schema defaults < the stored document (written by an
   * install or an upgrade's `config`) < what the app's config sets explicitly for `plugins.<name>`
   * (files, environment), key by key.
   */
  #storeConfigFor(name: string, stored: Record<string, unknown> | undefined): unknown {
    const slice = this.#configFor(name);
    if (stored === undefined) return slice;
    if (typeof slice !== 'object' || slice === null) return stored;
    const reader = resolveService(this.#options.container, CONFIG_READER);
    const explicit = Object.entries(slice).filter(
      ([key]) => !isSchemaDefault(reader, `plugins.${name}.${key}`),
    );
    return { ...slice, ...stored, ...Object.fromEntries(explicit) };
  }

  #deployerFor(options: PluginHostStoreOptions, manager?: PluginManager): PluginDeployer {
    return new PluginDeployer({
      store: options.store,
      ...(manager ? { manager } : {}),
      container: this.#options.container,
      ...(options.gate ? { gate: options.gate } : {}),
      config: (name, stored) => this.#storeConfigFor(name, stored),
    });
  }

  #configFor(name: string): unknown {
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
    return raw;
  }

  async #drain(name: string, ms: number): Promise<void> {
    const routes = this.#routes.get(name);
    if (!routes) return;
    for (const disposer of routes.disposers.splice(0)) disposer.dispose();
    const idle = await routes.inflight.idle(ms);
    if (!idle) this.#options.logger.warn({ plugin: name }, 'stopping with calls still in flight');
  }

  #wireRouteTrigger(manager: PluginManager): void {
    const root = resolveService(this.#options.container, HTTP_ROUTER);
    if (root instanceof FastifyHttpRouter && manager.pendingActivations().length > 0) {
      root.onUnmatched(
        async (_method, path) => (await manager.activate({ kind: 'route', value: path })).length > 0,
      );
    }
  }

  #recordScanProblem(problem: TrellisError): void {
    const details = problem.details as { file?: string; path?: string; plugin?: string; loser?: string };
    const where = details.loser ?? (details.file ? dirname(details.file) : (details.path ?? 'unknown'));
    const name =
      problem.code === 'PLUGIN_NAME_TAKEN' ? `${details.plugin} (${this.#where(where)})` : this.#where(where);
    this.#problems.push({
      name,
      version: '0.0.0',
      dir: where,
      state: 'failed',
      isolation: 'inline',
      timings: { loadMs: 0, setupMs: 0, startMs: 0 },
      error: { code: problem.code, message: problem.message },
    });
  }

  #watch(manager: PluginManager): void {
    const folders = manager.list().flatMap((summary) => {
      const details = manager.details(summary.name);
      return details.wave >= 0 ? [{ name: summary.name, dir: details.dir }] : [];
    });
    this.#subscriptions.push(
      watchPluginFolders(folders, (names) => void this.reload(names), {
        onError: (name, error) =>
          this.#options.logger.warn({ err: error, plugin: name }, 'plugin folder watch failed'),
      }),
    );
  }

  #where(path: string): string {
    return relative(this.#options.pluginsDir, path) || path;
  }
}

/** The app's coarse view of a lifecycle state: a resolved lazy plugin is `lazy`. */
function statusOf(state: string, lazy: boolean): PluginState {
  if (state === 'active') return 'active';
  if (state === 'failed') return 'failed';
  if (state === 'resolved' && lazy) return 'lazy';
  if (state === 'starting') return 'starting';
  return 'stopped';
}

/**
 * A router that remembers every route it serves, so the host can withdraw them on stop, and
 * counts calls in progress, so a stop can wait for them.
 */
function tracking(router: HttpRouter, routes: PluginRoutes, name: string): HttpRouter {
  return {
    basePath: router.basePath,
    route(route) {
      const disposer = router.route({
        ...route,
        // In the plugin's scope, so a watchdog can blame it for a handler that blocks the loop.
        handler: (request) =>
          routes.inflight.run(async () =>
            runInPluginScope(name, () => observed(name, routes, () => route.handler(request))),
          ),
      });
      routes.disposers.push(disposer);
      return disposer;
    },
    scope: (prefix) => tracking(router.scope(prefix), routes, name),
  };
}

/**
 * Runs a route handler behind the plugin's protections: load shedding when a failure was
 * predicted, its adaptive concurrency limit (503 when full), chaos drills; then reports the
 * outcome to failure prediction (a 5xx or a throw is a failure) and the latency to the limiter.
 */
async function observed(
  name: string,
  routes: PluginRoutes,
  call: () => HttpResponse | Promise<HttpResponse>,
): Promise<HttpResponse> {
  if (routes.shedding.until > Date.now() && Math.random() < 0.5) {
    return refused(
      'RESILIENCE_LOAD_SHED',
      `Plugin "${name}" is shedding load after a predicted failure; retry shortly.`,
    );
  }
  const limiter = routes.limiter;
  const permit = limiter?.tryAcquire();
  if (limiter && !permit) {
    return refused(
      'RESILIENCE_LIMIT_EXCEEDED',
      `Plugin "${name}" is at its concurrency limit (${limiter.limit}); retry shortly.`,
    );
  }
  if (routes.chaos?.enabled) await routes.chaos.maybeInject(`plugin:${name}`);
  const started = performance.now();
  try {
    const response = await call();
    const ok = (response.status ?? 200) < 500;
    routes.predictor?.record(name, { ok, latencyMs: performance.now() - started });
    permit?.success();
    return response;
  } catch (error) {
    routes.predictor?.record(name, { ok: false, latencyMs: performance.now() - started });
    // A failing handler says nothing about capacity; only overload signals move the limit.
    permit?.ignore();
    throw error;
  }
}

function refused(code: string, message: string): HttpResponse {
  return { status: 503, headers: { 'retry-after': '1' }, body: { error: { code, message } } };
}

/** True when the value at `path` comes from nothing but the schema's default. */
function isSchemaDefault(reader: unknown, path: string): boolean {
  if (!(reader instanceof Config)) return false;
  try {
    return reader.explain(path).layer === 'defaults';
  } catch {
    return false;
  }
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
