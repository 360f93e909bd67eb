import { mkdir } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import {
  CLOCK,
  type Clock,
  type Disposer,
  describeError,
  EVENT_BUS,
  type EventBus,
  type HealthCheckResult,
  LOGGER,
  type Logger,
  type Plugin,
  type PluginActor,
  type PluginControl,
  type PluginIsolation,
  type PluginRestartOptions,
  type PluginSummary,
  resolveService,
  systemClock,
  type TrellisEvents,
} from '@trellis/core';
import {
  ActivationController,
  type ActivationTrigger,
  loadPluginEntry,
  PluginDependencyDisabledError,
  parseActivationEvent,
} from '@trellis/discovery';
import pLimit from 'p-limit';
import { createScopedContext } from '../context/create-scoped-context.js';
import {
  BootAbortedError,
  PluginManagerOptionsInvalidError,
  PluginManagerStateError,
  PluginNotFoundError,
  PluginRuntimeExitedError,
} from '../errors.js';
import type { PluginOperationEvent } from '../events/lifecycle-events.js';
import { LifecycleHooks } from '../hooks/lifecycle-hooks.js';
import type { BootReport } from '../report/boot-report.js';
import { createInlineInstance } from '../runtime/inline-runtime.js';
import type { PluginInstance, PluginRuntime, RuntimeExit } from '../runtime/plugin-runtime.js';
import { PluginStateMachine } from '../state/plugin-state-machine.js';
import { auditOperation } from './audit-operation.js';
import { buildBootReport } from './build-boot-report.js';
import { createDefaultRuntime } from './default-runtimes.js';
import { errorSummary, messageWithoutFix } from './error-summary.js';
import type { ManagedPlugin } from './managed-plugin.js';
import { parseConfig } from './parse-config.js';
import { planPlugins } from './plan-plugins.js';
import { byWave, reachable } from './plugin-graph.js';
import {
  type ManagedPluginInput,
  type PluginManagerOptions,
  PluginManagerSettingsSchema,
  type PluginPolicy,
} from './plugin-manager-options.js';

/** One plugin a reload could not start with its new code. */
export interface PluginReloadFailure {
  readonly plugin: string;
  readonly error: { readonly code: string; readonly message: string };
  /** True when the version that ran before is running again. */
  readonly restored: boolean;
}

/** What {@link PluginManager.reload} did. */
export interface PluginReloadOutcome {
  /** True when every plugin started with its new code. */
  readonly ok: boolean;
  /** Plugins now running their new code. */
  readonly reloaded: readonly string[];
  readonly failures: readonly PluginReloadFailure[];
}

/** {@link PluginManager.details}: a summary plus what an operator looks at next. */
export interface PluginDetails extends PluginSummary {
  readonly dir: string;
  /** Start wave; -1 when disabled. */
  readonly wave: number;
  readonly lazy: boolean;
  /** What the manifest asks for. */
  readonly permissions: readonly string[];
  /** What the host granted. */
  readonly granted: readonly string[];
  /** Plugins that start after it. */
  readonly dependents: readonly string[];
  /** Last start, in ms. */
  readonly timings: { readonly loadMs: number; readonly setupMs: number; readonly startMs: number };
}

/** Where the manager itself is. */
export type PluginManagerState = 'idle' | 'booting' | 'running' | 'stopping' | 'stopped';

const SYSTEM: PluginActor = { id: 'system' };

/**
 * Runs a set of plugins: resolves their dependencies with `@trellis/discovery`, starts eager
 * plugins wave by wave (a wave's plugins in parallel, at most `concurrency` at once), activates
 * lazy ones on their first trigger, and stops everything in reverse dependency order — dependents
 * always before the plugins they depend on.
 *
 * Every plugin gets a permission-gated child container ({@link createScopedContext}), runs in the
 * runtime its isolation names (inline, worker thread, child process), and passes through the
 * states of {@link PluginStateMachine}; every transition is published on the event bus as
 * `plugin.transition`. Each hook call has a deadline: a plugin that hangs is failed, not waited
 * on. One plugin's failure never stops the others, unless its policy says `abort`.
 *
 * The manager implements core's {@link PluginControl}, so supervisors and the admin API drive it
 * through the `PLUGIN_CONTROL` token; operations given an `actor` are written to the audit log.
 *
 * @example
 * ```ts
 * const scan = await scanPlugins({ roots: ['plugins'] });
 * const manager = new PluginManager({ container: platform.container, plugins: scan.plugins });
 * const report = await manager.boot();
 * console.log(formatBootReport(report));
 * await manager.shutdown();
 * ```
 */
export class PluginManager implements PluginControl {
  /** Before/after hooks of every start, stop and upgrade. */
  readonly hooks: LifecycleHooks;
  readonly #options: PluginManagerOptions;
  readonly #settings: ReturnType<typeof PluginManagerSettingsSchema.parse>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #events: EventBus<TrellisEvents>;
  readonly #states: PluginStateMachine;
  readonly #runtimes = new Map<PluginIsolation, PluginRuntime>();
  readonly #ownRuntimes = new Set<PluginRuntime>();
  readonly #plugins = new Map<string, ManagedPlugin>();
  readonly #activation: ActivationController;
  #order: string[] = [];
  #waves: string[][] = [];
  #dependents = new Map<string, string[]>();
  #state: PluginManagerState = 'idle';
  #report: BootReport | undefined;
  #operations: Promise<unknown> = Promise.resolve();
  readonly #subscriptions: Disposer[] = [];
  readonly #eventTriggers = new Set<string>();
  #inputs: ManagedPluginInput[] = [];

  constructor(options: PluginManagerOptions) {
    const parsed = PluginManagerSettingsSchema.safeParse(options);
    if (!parsed.success) {
      throw new PluginManagerOptionsInvalidError(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`),
      );
    }
    this.#options = options;
    this.#settings = parsed.data;
    const container = options.container;
    this.#clock = container.isRegistered(CLOCK, true) ? container.resolve(CLOCK) : systemClock;
    this.#logger = resolveService(container, LOGGER).child({ component: 'plugin-manager' });
    this.#events = resolveService(container, EVENT_BUS);
    this.hooks = options.hooks ?? new LifecycleHooks({ clock: this.#clock });
    this.#states = new PluginStateMachine({
      clock: this.#clock,
      onTransition: (transition) => this.#events.emit('plugin.transition', transition),
    });
    this.#activation = new ActivationController({ clock: this.#clock });
    for (const [kind, runtime] of Object.entries(options.runtimes ?? {})) {
      this.#runtimes.set(kind as PluginIsolation, runtime);
    }
    this.#register();
  }

  /** Where the manager is: idle → booting → running → stopping → stopped. */
  get state(): PluginManagerState {
    return this.#state;
  }

  /** The report of the last boot; `undefined` before {@link boot}. */
  get report(): BootReport | undefined {
    return this.#report;
  }

  /** Plugin names per start wave, disabled plugins left out. */
  get waves(): readonly (readonly string[])[] {
    return this.#waves;
  }

  /**
   * Starts every eager plugin (and whatever it depends on) wave by wave and registers the lazy
   * ones for activation. Resolves with the boot report; a plugin's failure only fails that plugin
   * and the plugins that require it.
   * @throws {@link BootAbortedError} (with `report` in `details`) when a plugin whose failure
   *   policy is `abort` failed; every plugin started so far has been stopped again.
   */
  async boot(): Promise<BootReport> {
    if (this.#state !== 'idle') throw new PluginManagerStateError('boot', this.#state);
    this.#state = 'booting';
    const startedAt = this.#clock.now();
    const eager = this.#eagerClosure();
    let aborted: { plugin: string; error: unknown } | undefined;
    const limit = pLimit(this.#settings.concurrency);
    for (const wave of this.#waves) {
      const starting = wave.filter((name) => eager.has(name));
      await Promise.all(
        starting.map((name) =>
          limit(async () => {
            if (aborted) return;
            const plugin = this.#plugins.get(name) as ManagedPlugin;
            try {
              await this.#start(plugin);
            } catch (error) {
              if (plugin.failure === 'abort' && !aborted) aborted = { plugin: name, error };
            }
          }),
        ),
      );
      if (aborted) break;
    }
    for (const name of this.#order) {
      const plugin = this.#plugins.get(name) as ManagedPlugin;
      if (!eager.has(name)) this.#registerLazy(plugin);
    }
    this.#subscribeEventTriggers();
    const report = buildBootReport({
      plugins: [...this.#plugins.values()],
      waves: this.#waves,
      startedAt,
      now: this.#clock.now(),
      aborted,
    });
    this.#report = report;
    if (aborted) {
      await this.#stopAll();
      this.#state = 'stopped';
      const message = describeError(aborted.error);
      const error = new BootAbortedError(aborted.plugin, aborted.error, message);
      Object.assign(error.details as object, { report });
      throw error;
    }
    this.#state = 'running';
    this.#events.emit('plugins.booted', {
      durationMs: report.durationMs,
      active: report.counts.active,
      failed: report.counts.failed + report.counts.skipped,
      lazy: report.counts.lazy,
      disabled: report.counts.disabled,
      ready: report.ready,
    });
    return report;
  }

  /**
   * Starts the lazy plugins `trigger` matches (a route, event, service token or command), with
   * the plugins they depend on. Resolves to the names that are active afterwards.
   */
  activate(trigger: ActivationTrigger): Promise<string[]> {
    return this.#activation.trigger(trigger);
  }

  /** Lazy plugins still waiting for their first trigger. */
  pendingActivations(): string[] {
    return this.#order.filter((name) => this.#activation.state(name) === 'inactive');
  }

  /** True when every critical plugin is active: the host may report ready. */
  isReady(): boolean {
    for (const plugin of this.#plugins.values()) {
      if (plugin.critical && this.#states.state(plugin.name) !== 'active') return false;
    }
    return true;
  }

  /** Every plugin, in start order, then the disabled ones. */
  list(): readonly PluginSummary[] {
    return [...this.#plugins.values()].map((plugin) => this.#summary(plugin));
  }

  /** One plugin's summary; `undefined` for an unknown name. */
  get(name: string): PluginSummary | undefined {
    const plugin = this.#plugins.get(name);
    return plugin ? this.#summary(plugin) : undefined;
  }

  /** A plugin's summary with where it lives, its wave, grants and last start timings. */
  details(name: string): PluginDetails {
    const plugin = this.#require(name);
    return {
      ...this.#summary(plugin),
      dir: plugin.input.dir,
      wave: plugin.wave,
      lazy: plugin.lazy,
      permissions: plugin.manifest.permissions ?? [],
      granted: plugin.granted,
      dependents: this.#dependents.get(name) ?? [],
      timings: { ...plugin.timings },
    };
  }

  /** The last transitions of a plugin, oldest first. */
  history(name: string) {
    this.#require(name);
    return this.#states.history(name);
  }

  /** Live figures of the plugin's runtime (heap, pid...); `undefined` when it is not loaded. */
  stats(name: string) {
    return this.#require(name).instance?.stats();
  }

  /** Runs a plugin's health check within its deadline; a plugin that is not active fails it. */
  async health(name: string): Promise<HealthCheckResult> {
    const plugin = this.#require(name);
    const state = this.#states.state(name);
    if (state !== 'active' || !plugin.instance) {
      const why = plugin.error ? `: ${describeError(plugin.error)}` : '';
      return { status: 'fail', message: `plugin is ${state}${why}` };
    }
    return plugin.instance.health({ timeoutMs: plugin.timeouts.healthMs });
  }

  /** Starts a plugin that is resolved, stopped or failed, after the plugins it requires. */
  start(name: string, options: { readonly actor?: PluginActor } = {}): Promise<PluginSummary> {
    return this.#operation('start', name, options.actor, async (affected) => {
      const plugin = this.#require(name);
      for (const dependency of this.#requiredClosure(plugin)) {
        if (this.#states.state(dependency) === 'active') continue;
        // An optional dependency may fail; a required one that did fails the start below.
        await this.#start(this.#require(dependency)).catch(() => undefined);
        affected.push(dependency);
      }
      await this.#start(plugin);
      affected.push(name);
    });
  }

  /** Stops a plugin, and before it every active plugin that depends on it (latest wave first). */
  stop(name: string, options: { readonly actor?: PluginActor } = {}): Promise<PluginSummary> {
    return this.#operation('stop', name, options.actor, async (affected) => {
      await this.#stopWithDependents(this.#require(name), affected);
      // Stopped on purpose: a spare kept for a quick restart would only hold memory now.
      await Promise.all(affected.map((n) => this.#runtimes.get(this.#require(n).isolation)?.release?.(n)));
    });
  }

  /**
   * Stops and starts a plugin again. With `withDependents` (default) its running dependents are
   * stopped first and started again after it, as Erlang's `rest_for_one` does; with `reload` the
   * code is loaded afresh from disk.
   */
  restart(name: string, options: PluginRestartOptions = {}): Promise<PluginSummary> {
    return this.#operation('restart', name, options.actor, async (affected) => {
      const plugin = this.#require(name);
      const dependents =
        options.withDependents === false
          ? []
          : [...reachable(name, this.#dependents)].filter((n) => this.#isRunning(n));
      const waves = byWave(dependents, (n) => this.#require(n).wave);
      for (const wave of [...waves].reverse())
        await Promise.all(wave.map((n) => this.#stop(this.#require(n))));
      await this.#stop(plugin);
      if (options.reload) plugin.reloadNext = true;
      await this.#start(plugin);
      affected.push(name);
      for (const wave of waves) {
        await Promise.all(
          wave.map(async (n) => {
            await this.#start(this.#require(n)).catch(() => undefined);
            affected.push(n);
          }),
        );
      }
    });
  }

  /**
   * Loads the code of `names` afresh and restarts them with their running dependents, as a file
   * watcher does after an edit. When the new code of an inline plugin fails to start, the version
   * that ran before is started again, so a bad edit never takes a working plugin down.
   */
  async reload(
    names: readonly string[],
    options: { readonly actor?: PluginActor } = {},
  ): Promise<PluginReloadOutcome> {
    const failures: PluginReloadFailure[] = [];
    const changed = names.filter((name) => this.#plugins.has(name) && this.#isRunning(name));
    if (changed.length === 0) return { ok: true, reloaded: [], failures };
    await this.#operation('reload', changed.join(', '), options.actor, async (affected) => {
      const all = new Set(changed);
      for (const name of changed) {
        for (const dependent of reachable(name, this.#dependents))
          if (this.#isRunning(dependent)) all.add(dependent);
      }
      const waves = byWave(all, (n) => this.#require(n).wave);
      for (const wave of [...waves].reverse())
        await Promise.all(wave.map((n) => this.#stop(this.#require(n))));
      for (const wave of waves) {
        await Promise.all(
          wave.map(async (name) => {
            const plugin = this.#require(name);
            const previous = plugin.definition;
            plugin.reloadNext = changed.includes(name);
            try {
              await this.#start(plugin);
              affected.push(name);
            } catch (error) {
              const restore = plugin.reloadNext || changed.includes(name);
              const restored = restore && previous !== undefined && plugin.isolation === 'inline';
              if (restored) {
                plugin.fallback = previous;
                await this.#start(plugin).catch(() => undefined);
              }
              failures.push({
                plugin: name,
                error: errorSummary(error),
                restored: restored && this.#isRunning(name),
              });
            }
          }),
        );
      }
      if (failures.length > 0) {
        this.#logger.error({ failures }, 'plugin reload failed; previous versions restored where possible');
      }
    }).catch(() => undefined);
    return {
      ok: failures.length === 0,
      reloaded: changed.filter((name) => !failures.some((f) => f.plugin === name)),
      failures,
    };
  }

  /**
   * Adds a plugin to the running set (an install): it is resolved against the plugins already
   * there, then started (a lazy one waits for its trigger), and plugins that were disabled for
   * want of it are started too. The manager must be running.
   * @throws {@link PluginManagerStateError} when a plugin of that name is already managed, and
   *   the plugin's start error when it fails to start (it is left `failed`, not removed).
   */
  install(input: ManagedPluginInput, options: { readonly actor?: PluginActor } = {}): Promise<PluginSummary> {
    const name = input.manifest.name;
    return this.#operation('install', name, options.actor, async (affected) => {
      this.#requireRunning(`install "${name}"`);
      if (this.#plugins.has(name)) {
        throw new PluginManagerStateError(`install "${name}"`, 'running, with a plugin of that name already');
      }
      const enabledAgain = this.#replan([...this.#inputs, input]);
      await this.#startPlanned(this.#require(name), affected);
      for (const other of enabledAgain)
        await this.#startPlanned(this.#require(other), affected).catch(() => undefined);
    });
  }

  /**
   * Swaps a plugin for another version of it, live: running dependents are stopped first, the
   * plugin is stopped, its manifest, folder and policy are replaced, then it is started from the
   * new code and its dependents after it (those that were running, or failed for want of it).
   * `beforeUpgrade` may veto (nothing is touched); `afterUpgrade` hears the outcome. The new
   * version's failure to start is thrown, and it is left `failed`: the caller decides whether to
   * roll back (a plugin store's upgrade does, by replacing it with the previous input again).
   */
  replace(
    name: string,
    input: ManagedPluginInput | (() => Promise<ManagedPluginInput>),
    options: PluginReplaceOptions = {},
  ): Promise<PluginSummary> {
    return this.#operation('replace', name, options.actor, async (affected) => {
      this.#requireRunning(`replace "${name}"`);
      const plugin = this.#require(name);
      const from = plugin.manifest.version;
      const to = typeof input === 'function' ? (options.toVersion ?? '?') : input.manifest.version;
      await this.hooks.runBefore('beforeUpgrade', { plugin: name, from, to });
      const began = this.#clock.now();
      const wasRunning = this.#isRunning(name) || this.#states.state(name) === 'failed';
      const dependents = [...reachable(name, this.#dependents)].filter(
        (n) => this.#isRunning(n) || this.#require(n).outcome === 'skipped',
      );
      const waves = byWave(dependents, (n) => this.#require(n).wave);
      for (const wave of [...waves].reverse())
        await Promise.all(wave.map((n) => this.#stop(this.#require(n))));
      await this.#stop(plugin);
      let next: ManagedPluginInput;
      try {
        // Stopped, so its files and data can change under it (a store swaps versions here).
        next = typeof input === 'function' ? await input() : input;
        if (next.manifest.name !== name) {
          throw new PluginManagerStateError(`replace "${name}" with "${next.manifest.name}"`, 'running');
        }
      } catch (error) {
        // Nothing was replaced: what ran before runs again.
        await this.#start(plugin).catch(() => undefined);
        for (const n of this.#byWaveOrder(dependents))
          await this.#start(this.#require(n)).catch(() => undefined);
        throw error;
      }
      const enabledAgain = this.#replan(this.#inputs.map((i) => (i.manifest.name === name ? next : i)));
      plugin.reloadNext = true;
      plugin.definition = undefined;
      plugin.fallback = undefined;
      let failure: unknown;
      try {
        if (wasRunning || !plugin.lazy) await this.#startPlanned(plugin, affected);
        else if (plugin.lazy) this.#registerLazy(plugin);
      } catch (error) {
        failure = error;
      }
      const restart = [...new Set([...this.#byWaveOrder(dependents), ...enabledAgain])];
      for (const n of restart) await this.#startPlanned(this.#require(n), affected).catch(() => undefined);
      await this.hooks.runAfter('afterUpgrade', {
        plugin: name,
        from,
        to,
        outcome: failure === undefined ? 'ok' : 'failed',
        durationMs: this.#clock.now() - began,
        ...(failure === undefined ? {} : { error: failure }),
      });
      if (failure !== undefined) throw failure;
    });
  }

  /**
   * Loads `input` as a start would — its code imported in its isolation, its config brought
   * through its migrations and parsed by its schema — without setting it up or starting it, then
   * releases it. An upgrade runs this first, so a version whose code does not load or whose
   * config does not migrate is refused before anything is stopped.
   * @throws The load's error: `PLUGIN_CONFIG_INVALID`, `PLUGIN_LOAD_FAILED`, `PLUGIN_RUNTIME_START_FAILED`...
   */
  async validate(input: ManagedPluginInput): Promise<void> {
    const name = input.manifest.name;
    const policy = this.#policy(name);
    const isolation = policy.isolation ?? input.manifest.isolation ?? 'inline';
    const raw = configOf(input);
    const granted = policy.granted ?? input.manifest.permissions ?? [];
    const main = input.manifest.main ?? 'index.js';
    if (isolation === 'inline') {
      parseConfig(name, input.plugin ?? (await loadDefinition(name, input.dir, main, true)), raw);
      return;
    }
    // No host-provided services: a dry load must not touch what the running version holds.
    const scope = createScopedContext({
      parent: this.#options.container,
      manifest: input.manifest,
      config: raw,
      granted,
      ...(this.#options.rules ? { rules: this.#options.rules } : {}),
    });
    try {
      const instance = await this.#runtime(isolation).load(
        {
          manifest: input.manifest,
          dir: input.dir,
          entry: resolvePath(input.dir, main),
          config: raw,
          granted,
          fresh: true,
        },
        scope.context,
      );
      await instance.dispose();
    } finally {
      await scope.dispose();
    }
  }

  /**
   * Takes a plugin out of the running set (an uninstall): its running dependents and then the
   * plugin are stopped, it goes to `uninstalled` and is forgotten; dependents that required it
   * stay `failed` (disabled by resolution) until it comes back.
   */
  uninstall(name: string, options: { readonly actor?: PluginActor } = {}): Promise<void> {
    return this.#operation('uninstall', name, options.actor, async (affected) => {
      this.#requireRunning(`uninstall "${name}"`);
      const plugin = this.#require(name);
      await this.#stopWithDependents(plugin, affected);
      plugin.lazyRegistration?.dispose();
      await this.#runtimes.get(plugin.isolation)?.release?.(name);
      this.#states.transition(name, 'uninstalled', { reason: 'uninstalled' });
      this.#states.remove(name);
      this.#plugins.delete(name);
      this.#replan(this.#inputs.filter((i) => i.manifest.name !== name));
    }).then(() => undefined);
  }

  /**
   * Ends a running plugin as a crash would, for chaos drills and tests: it is reported as
   * `plugin.exited` (reason `killed`) and failed, and its worker or process is terminated; an
   * inline plugin is failed in place (its code shares the host and cannot be killed apart).
   * Supervisors treat it like any crash.
   */
  kill(name: string, detail = 'killed on request'): void {
    const plugin = this.#require(name);
    const instance = plugin.instance;
    if (!instance || this.#states.state(name) !== 'active') return;
    this.#onExit(plugin, instance, { reason: 'killed', detail });
  }

  /**
   * Stops every running plugin, dependents before their dependencies (wave by wave, latest
   * first), each within its stop deadline. Idempotent.
   */
  async shutdown(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    await this.#operations.catch(() => undefined);
    await this.#stopAll();
    // Only the runtimes this manager created: given ones belong to the caller (and may be shared).
    await Promise.all([...this.#ownRuntimes].map((runtime) => runtime.dispose?.().catch(() => undefined)));
    this.#state = 'stopped';
  }

  #register(): void {
    // On an empty manager a re-plan only adds: each plugin resolved, or failed with its reason.
    this.#replan(this.#options.plugins);
  }

  /**
   * Resolves `inputs` again and updates the records in place (closures of running plugins hold
   * them): waves, edges, what each requires, and — for a replaced plugin — its manifest, folder
   * and policy. New plugins are added as `resolved` (or `failed` when resolution disables them).
   * Returns the plugins that resolution had disabled and now enables.
   */
  #replan(inputs: readonly ManagedPluginInput[]): string[] {
    const plan = planPlugins(inputs, {
      ...(this.#options.platformVersion ? { platformVersion: this.#options.platformVersion } : {}),
      timeouts: this.#settings.timeouts,
      policy: (name) => this.#policy(name),
    });
    for (const warning of plan.warnings) this.#logger.warn(warning);
    const enabledAgain: string[] = [];
    for (const [name, planned] of plan.plugins) {
      const existing = this.#plugins.get(name);
      if (!existing) {
        this.#plugins.set(name, planned);
        this.#states.add(name, planned.manifest.version);
        if (planned.disabledBy === undefined) this.#states.transition(name, 'resolved');
        else this.#disable(planned);
        continue;
      }
      const wasDisabled = existing.disabledBy !== undefined;
      updateStaticFields(existing, planned);
      if (this.#states.version(name) !== planned.manifest.version) {
        this.#states.setVersion(name, planned.manifest.version);
      }
      if (wasDisabled && planned.disabledBy === undefined) {
        existing.error = undefined;
        existing.outcome = undefined;
        if (this.#states.state(name) === 'failed') this.#states.transition(name, 'resolved');
        enabledAgain.push(name);
      } else if (!wasDisabled && planned.disabledBy !== undefined) {
        existing.error = planned.disabledBy;
        existing.outcome = 'disabled';
        if (this.#states.state(name) !== 'failed') this.#disable(existing);
      }
    }
    this.#inputs = [...inputs];
    this.#order = [...plan.order];
    this.#waves = plan.waves;
    this.#dependents = plan.dependents;
    return this.#byWaveOrder(enabledAgain);
  }

  #disable(plugin: ManagedPlugin): void {
    // A stopped plugin cannot fail directly; it is resolved again first, then disabled.
    if (this.#states.state(plugin.name) === 'stopped') this.#states.transition(plugin.name, 'resolved');
    this.#states.transition(plugin.name, 'failed', {
      reason: 'disabled by dependency resolution',
      error: plugin.disabledBy,
    });
  }

  /** Starts a plugin added or replaced while running; a lazy one is registered for its trigger. */
  async #startPlanned(plugin: ManagedPlugin, affected: string[]): Promise<void> {
    if (plugin.disabledBy !== undefined) throw plugin.disabledBy;
    if (plugin.lazy && plugin.outcome !== 'active' && !this.#isRunning(plugin.name)) {
      this.#registerLazy(plugin);
      this.#subscribeEventTriggers();
      return;
    }
    await this.#start(plugin);
    affected.push(plugin.name);
  }

  /** Stops the running plugins that depend on `plugin` (latest wave first), then `plugin`. */
  async #stopWithDependents(plugin: ManagedPlugin, affected: string[]): Promise<void> {
    const dependents = [...reachable(plugin.name, this.#dependents)].filter((n) => this.#isRunning(n));
    for (const wave of byWave(dependents, (n) => this.#require(n).wave).reverse()) {
      await Promise.all(wave.map((n) => this.#stop(this.#require(n))));
      affected.push(...wave);
    }
    await this.#stop(plugin);
    affected.push(plugin.name);
  }

  #byWaveOrder(names: readonly string[]): string[] {
    return byWave(names, (n) => this.#require(n).wave).flat();
  }

  #requireRunning(action: string): void {
    if (this.#state !== 'running') throw new PluginManagerStateError(action, this.#state);
  }

  #policy(name: string): PluginPolicy {
    return { ...this.#settings.defaultPolicy, ...this.#settings.policies[name] };
  }

  /** Eager plugins and, transitively, every plugin they start after. */
  #eagerClosure(): Set<string> {
    const eager = new Set<string>();
    const stack = this.#order.filter((name) => !(this.#plugins.get(name) as ManagedPlugin).lazy);
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (eager.has(name)) continue;
      eager.add(name);
      stack.push(...(this.#plugins.get(name) as ManagedPlugin).after);
    }
    return eager;
  }

  /** Every plugin `plugin` starts after, transitively, in start order. */
  #requiredClosure(plugin: ManagedPlugin): string[] {
    const edges = new Map([...this.#plugins.values()].map((p) => [p.name, p.after]));
    const needed = reachable(plugin.name, edges);
    return this.#order.filter((name) => needed.has(name));
  }

  #registerLazy(plugin: ManagedPlugin): void {
    if (plugin.wave < 0 || !Array.isArray(plugin.manifest.activation)) return;
    plugin.outcome = 'lazy';
    const events = plugin.manifest.activation.flatMap((text) => {
      const event = parseActivationEvent(text);
      return event ? [event] : [];
    });
    plugin.lazyRegistration?.dispose();
    plugin.lazyRegistration = this.#activation.register({
      name: plugin.name,
      events,
      activate: async () => {
        if (this.#state !== 'running')
          throw new PluginManagerStateError(`activate "${plugin.name}"`, this.#state);
        for (const dependency of this.#requiredClosure(plugin)) {
          await this.#start(this.#require(dependency)).catch(() => undefined);
        }
        await this.#start(plugin);
      },
    });
  }

  /** Activates lazy plugins on the bus events their `onEvent:` triggers name. */
  #subscribeEventTriggers(): void {
    const bus = this.#events as unknown as EventBus<Record<string, unknown>>;
    const names = new Set<string>();
    for (const plugin of this.#plugins.values()) {
      if (plugin.outcome !== 'lazy' || !Array.isArray(plugin.manifest.activation)) continue;
      for (const event of plugin.manifest.activation) {
        if (event.startsWith('onEvent:')) names.add(event.slice('onEvent:'.length));
      }
    }
    for (const name of names) {
      if (this.#eventTriggers.has(name)) continue;
      this.#eventTriggers.add(name);
      this.#subscriptions.push(
        bus.on(name, () => {
          // A failed activation is already logged and recorded on the plugin.
          this.#activation.trigger({ kind: 'event', value: name }).catch(() => undefined);
        }),
      );
    }
  }

  #require(name: string): ManagedPlugin {
    const plugin = this.#plugins.get(name);
    if (!plugin) throw new PluginNotFoundError(name, [...this.#plugins.keys()]);
    return plugin;
  }

  #isRunning(name: string): boolean {
    const state = this.#states.state(name);
    return state === 'active' || state === 'starting';
  }

  #runtime(kind: PluginIsolation): PluginRuntime {
    let runtime = this.#runtimes.get(kind);
    if (!runtime) {
      runtime = createDefaultRuntime(kind);
      this.#runtimes.set(kind, runtime);
      this.#ownRuntimes.add(runtime);
    }
    return runtime;
  }

  /** Loads, sets up and starts one plugin; shares a start already in progress. */
  #start(plugin: ManagedPlugin): Promise<void> {
    if (plugin.starting) return plugin.starting;
    const state = this.#states.state(plugin.name);
    if (state === 'active') return Promise.resolve();
    plugin.starting = this.#runStart(plugin).finally(() => {
      plugin.starting = undefined;
    });
    return plugin.starting;
  }

  async #runStart(plugin: ManagedPlugin): Promise<void> {
    const { name } = plugin;
    if (plugin.disabledBy !== undefined) throw plugin.disabledBy;
    for (const dependency of plugin.requires) {
      if (this.#states.state(dependency) !== 'active') {
        const other = this.#require(dependency);
        const why = other.error ? messageWithoutFix(other.error) : `it is ${this.#states.state(dependency)}`;
        const error = new PluginDependencyDisabledError(name, dependency, why);
        plugin.error = error;
        plugin.outcome = 'skipped';
        if (this.#states.state(name) !== 'failed') {
          // A stopped plugin cannot fail directly; it is resolved again first.
          if (this.#states.state(name) === 'stopped') this.#states.transition(name, 'resolved');
          this.#states.transition(name, 'failed', {
            reason: `dependency ${dependency} is not active`,
            error,
          });
        }
        throw error;
      }
    }
    const version = plugin.manifest.version;
    try {
      await this.hooks.runBefore('beforeStart', { plugin: name, version });
    } catch (veto) {
      // A veto leaves the plugin where it was; the report still says why it is not running.
      plugin.error = veto;
      plugin.outcome = 'failed';
      throw veto;
    }
    const began = this.#clock.now();
    this.#states.transition(name, 'starting');
    plugin.timings = { loadMs: 0, setupMs: 0, startMs: 0 };
    plugin.error = undefined;
    try {
      let mark = this.#clock.now();
      const instance = await this.#load(plugin);
      plugin.instance = instance;
      plugin.exitSubscription = instance.onExit((exit) => this.#onExit(plugin, instance, exit));
      plugin.timings.loadMs = this.#clock.now() - mark;
      if (instance.has('setup')) {
        mark = this.#clock.now();
        await instance.call('setup', { timeoutMs: plugin.timeouts.setupMs });
        plugin.timings.setupMs = this.#clock.now() - mark;
      }
      if (instance.has('start')) {
        mark = this.#clock.now();
        await instance.call('start', { timeoutMs: plugin.timeouts.startMs });
        plugin.timings.startMs = this.#clock.now() - mark;
      }
      this.#states.transition(name, 'active');
      plugin.outcome = 'active';
      await this.hooks.runAfter('afterStart', {
        plugin: name,
        version,
        outcome: 'ok',
        durationMs: this.#clock.now() - began,
      });
    } catch (error) {
      plugin.error = error;
      plugin.outcome = 'failed';
      await this.#release(plugin);
      if (this.#states.state(name) !== 'failed') this.#states.transition(name, 'failed', { error });
      this.#logger.error({ plugin: name, err: errorSummary(error) }, 'plugin failed to start');
      await this.hooks.runAfter('afterStart', {
        plugin: name,
        version,
        outcome: 'failed',
        durationMs: this.#clock.now() - began,
        error,
      });
      throw error;
    }
  }

  /**
   * Loads the plugin's code and builds its context. Inline code is loaded here (not through the
   * inline runtime) so the config can be parsed by the plugin's own schema before the context is
   * frozen, and so a reload can fall back to the last definition that started.
   */
  async #load(plugin: ManagedPlugin): Promise<PluginInstance> {
    const fresh = plugin.reloadNext;
    plugin.reloadNext = false;
    const raw = configOf(plugin.input);
    const dataDir = this.#options.dataDir?.(plugin.name);
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    if (plugin.isolation === 'inline') {
      const definition =
        plugin.fallback ??
        plugin.input.plugin ??
        (await loadDefinition(plugin.name, plugin.input.dir, plugin.manifest.main ?? 'index.js', fresh));
      plugin.fallback = undefined;
      const scope = this.#scope(plugin, parseConfig(plugin.name, definition, raw), dataDir);
      const instance = createInlineInstance(plugin.name, definition, scope.context);
      plugin.definition = definition;
      return instance;
    }
    const scope = this.#scope(plugin, raw, dataDir);
    return this.#runtime(plugin.isolation).load(
      {
        manifest: plugin.manifest,
        dir: plugin.input.dir,
        entry: resolvePath(plugin.input.dir, plugin.manifest.main ?? 'index.js'),
        config: raw,
        granted: plugin.granted,
        fresh,
        warmStandby: plugin.warmStandby,
        ...(dataDir === undefined ? {} : { dataDir }),
      },
      scope.context,
    );
  }

  #scope(plugin: ManagedPlugin, config: unknown, dataDir: string | undefined) {
    const name = plugin.name;
    const scope = createScopedContext({
      parent: this.#options.container,
      manifest: plugin.manifest,
      config,
      ...(dataDir === undefined ? {} : { dataDir }),
      granted: plugin.granted,
      ...(this.#options.rules ? { rules: this.#options.rules } : {}),
      provided: this.#options.provide?.({ name, manifest: plugin.manifest }) ?? [],
      onDenied: (service, permission) =>
        this.#events.emit('plugin.permission-denied', { plugin: name, service, permission }),
    });
    plugin.scope = scope;
    return scope;
  }

  /** Stops one running plugin within its deadline; a stop that fails or hangs fails the plugin. */
  #stop(plugin: ManagedPlugin, force = false): Promise<void> {
    if (plugin.stopping) return plugin.stopping;
    plugin.stopping = this.#runStop(plugin, force).finally(() => {
      plugin.stopping = undefined;
    });
    return plugin.stopping;
  }

  async #runStop(plugin: ManagedPlugin, force: boolean): Promise<void> {
    const { name } = plugin;
    if (plugin.starting) await plugin.starting.catch(() => undefined);
    if (this.#states.state(name) !== 'active') return;
    const version = plugin.manifest.version;
    try {
      await this.hooks.runBefore('beforeStop', { plugin: name, version });
    } catch (veto) {
      // Shutdown cannot be vetoed: the process is going away whatever a hook thinks.
      if (!force) throw veto;
      this.#logger.warn({ plugin: name, err: errorSummary(veto) }, 'beforeStop veto ignored during shutdown');
    }
    const began = this.#clock.now();
    this.#states.transition(name, 'stopping');
    const instance = plugin.instance as PluginInstance;
    let failure: unknown;
    try {
      plugin.scope?.abort.abort(new Error(`plugin "${name}" is stopping`));
      instance.abort('plugin stopping');
      if (instance.has('stop')) await instance.call('stop', { timeoutMs: plugin.timeouts.stopMs });
    } catch (error) {
      failure = error;
    }
    await this.#release(plugin);
    if (failure === undefined) {
      this.#states.transition(name, 'stopped');
      // A stopped lazy plugin waits for its next trigger again, as it did before its first one.
      if (plugin.lazy && this.#state === 'running') this.#activation.reset(name);
    } else {
      plugin.error = failure;
      this.#states.transition(name, 'failed', { reason: 'stop failed', error: failure });
      this.#logger.error({ plugin: name, err: errorSummary(failure) }, 'plugin failed to stop cleanly');
    }
    await this.hooks.runAfter('afterStop', {
      plugin: name,
      version,
      outcome: failure === undefined ? 'ok' : 'failed',
      durationMs: this.#clock.now() - began,
      ...(failure === undefined ? {} : { error: failure }),
    });
  }

  /** Disposes the plugin's runtime instance and containers; never throws. */
  async #release(plugin: ManagedPlugin): Promise<void> {
    plugin.exitSubscription?.dispose();
    plugin.exitSubscription = undefined;
    const { instance, scope } = plugin;
    plugin.instance = undefined;
    plugin.scope = undefined;
    try {
      await instance?.dispose();
    } catch (error) {
      this.#logger.warn(
        { plugin: plugin.name, err: errorSummary(error) },
        'plugin runtime did not dispose cleanly',
      );
    }
    await scope?.dispose().catch(() => undefined);
  }

  #onExit(plugin: ManagedPlugin, instance: PluginInstance, exit: RuntimeExit): void {
    if (plugin.instance !== instance) return;
    const error = new PluginRuntimeExitedError(plugin.name, plugin.isolation, exit.reason, exit.detail);
    plugin.error = error;
    this.#logger.error({ plugin: plugin.name, err: errorSummary(error) }, 'isolated plugin died');
    this.#events.emit('plugin.exited', {
      plugin: plugin.name,
      isolation: plugin.isolation,
      reason: exit.reason,
      detail: exit.detail,
      ...(exit.code === undefined ? {} : { code: exit.code }),
    });
    const state = this.#states.state(plugin.name);
    // A start or stop in progress sees its call rejected and records the failure itself.
    if (state === 'active') {
      this.#states.transition(plugin.name, 'failed', { reason: `runtime ${exit.reason}`, error });
      void this.#release(plugin);
    }
  }

  async #stopAll(): Promise<void> {
    const limit = pLimit(this.#settings.concurrency);
    const running = [...this.#plugins.values()].filter((p) => p.wave >= 0);
    for (const wave of byWave(
      running.map((p) => p.name),
      (n) => this.#require(n).wave,
    ).reverse()) {
      await Promise.all(
        wave.map((name) => limit(() => this.#stop(this.#require(name), true).catch(() => undefined))),
      );
    }
  }

  /** Runs a person- or supervisor-triggered operation one at a time, then audits and publishes it. */
  #operation(
    operation: PluginOperationEvent['operation'],
    name: string,
    actor: PluginActor = SYSTEM,
    work: (affected: string[]) => Promise<void>,
  ): Promise<PluginSummary> {
    const run = async (): Promise<PluginSummary> => {
      if (this.#state === 'stopping' || this.#state === 'stopped') {
        throw new PluginManagerStateError(`${operation} plugin "${name}"`, this.#state);
      }
      const began = this.#clock.now();
      const affected: string[] = [];
      let failure: unknown;
      try {
        await work(affected);
      } catch (error) {
        failure = error;
      }
      const durationMs = this.#clock.now() - began;
      const error = failure === undefined ? undefined : errorSummary(failure);
      this.#events.emit('plugin.operation', {
        operation,
        plugin: name,
        affected,
        actor: actor.id,
        outcome: failure === undefined ? 'success' : 'failure',
        durationMs,
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
      });
      await auditOperation(this.#options.container, this.#logger, {
        operation,
        plugin: name,
        actor,
        affected,
        durationMs,
        failure,
      });
      if (failure !== undefined) throw failure;
      return this.#plugins.has(name) ? this.#summary(this.#require(name)) : (undefined as never);
    };
    const result = this.#operations.then(run, run);
    this.#operations = result.catch(() => undefined);
    return result;
  }

  #summary(plugin: ManagedPlugin): PluginSummary {
    const state = this.#states.state(plugin.name);
    const error = state === 'failed' && plugin.error !== undefined ? errorSummary(plugin.error) : undefined;
    const health = plugin.manifest.health;
    return {
      name: plugin.name,
      version: plugin.manifest.version,
      state,
      isolation: plugin.isolation,
      critical: plugin.critical,
      dependencies: plugin.after,
      ...(health?.intervalMs === undefined ? {} : { healthIntervalMs: health.intervalMs }),
      ...(health?.timeoutMs === undefined ? {} : { healthTimeoutMs: health.timeoutMs }),
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    };
  }
}

/** The raw config an input hands its plugin (asked at each load when it is a function). */
function configOf(input: ManagedPluginInput): unknown {
  return typeof input.config === 'function' ? input.config() : (input.config ?? {});
}

/** Imports a plugin's entry; `fresh` bypasses the module cache (a reload). */
async function loadDefinition(name: string, dir: string, main: string, fresh: boolean): Promise<Plugin> {
  const loaded = await loadPluginEntry({ name, dir, main }, { fresh });
  if (!loaded.ok) throw loaded.error;
  return loaded.plugin;
}

/** Options of {@link PluginManager.replace}. */
export interface PluginReplaceOptions {
  readonly actor?: PluginActor;
  /** The version a lazily given input will have, for the upgrade hooks. */
  readonly toVersion?: string;
}

/** The fields of a plugin record that come from its input and the plan, not from running it. */
const PLANNED_FIELDS = [
  'input',
  'manifest',
  'isolation',
  'critical',
  'failure',
  'timeouts',
  'granted',
  'warmStandby',
  'wave',
  'after',
  'requires',
  'lazy',
] as const satisfies readonly (keyof ManagedPlugin)[];

function updateStaticFields(existing: ManagedPlugin, planned: ManagedPlugin): void {
  const target = existing as unknown as Record<string, unknown>;
  for (const field of PLANNED_FIELDS) target[field] = planned[field];
  if (planned.disabledBy === undefined) delete target.disabledBy;
  else target.disabledBy = planned.disabledBy;
}
