import {
  type Clock,
  type Disposer,
  describeError,
  type EventBus,
  type PluginActor,
  type PluginControl,
  type PluginSummary,
  systemClock,
  type TrellisEvents,
} from '@trellis/core';
import { ChildTracker } from './child-tracker.js';
import { HealthMonitor } from './health-monitor.js';
import { type IncidentOutcome, type IncidentPrecheck, runIncident } from './incident.js';
import type { PluginSupervisionEvents } from './plugin-events.js';
import { defaultRecovery, type RecoveryStep } from './recovery.js';
import type { FailureHandling } from './supervisor.js';
import {
  type PluginSupervisorConfig,
  type PluginSupervisorConfigInput,
  PluginSupervisorConfigSchema,
  parseSupervisorConfig,
} from './supervisor-config.js';
import { type SupervisorEmitter, supervisorEmitter } from './supervisor-events.js';
import type { FailureSource, SupervisedChildStatus } from './supervisor-types.js';

/** The actor the plugin supervisor acts as, for the host's audit log. */
export const SUPERVISOR_ACTOR: PluginActor = Object.freeze({ id: 'supervisor', via: 'resilience' });

/** A supervised plugin as recovery strategies see it. */
export interface SupervisedPlugin {
  readonly name: string;
}

/** What {@link createPluginSupervisor} needs besides its config. */
export interface PluginSupervisorDeps {
  /** The host's plugin control (token `PLUGIN_CONTROL`). */
  readonly control: PluginControl;
  /** The bus the host publishes `plugin.*` events on; `supervisor.*` events go there too. */
  readonly bus: EventBus<TrellisEvents>;
  /** Default the system clock; tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Jitter source, values in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** The recovery chain; default: restart until the intensity runs out. */
  readonly recovery?: readonly RecoveryStep<SupervisedPlugin>[];
}

/** Options of {@link createPluginSupervisor}: the dependencies plus {@link PluginSupervisorConfigSchema}'s fields. */
export type PluginSupervisorOptions = PluginSupervisorDeps & PluginSupervisorConfigInput;

/** A running plugin supervisor; see {@link createPluginSupervisor}. */
export interface PluginSupervisor {
  readonly name: string;
  /** The parsed config, defaults applied. */
  readonly config: PluginSupervisorConfig;
  /** Reports a failure found elsewhere (a watchdog, a probe); handled like a crash of an active plugin. */
  pluginFailed(name: string, reason?: unknown): Promise<FailureHandling>;
  /** Forgets a give-up, so the plugin's next failure is handled again (it is not started). */
  revive(name: string): void;
  /** Plugins the supervisor has dealt with, with their state and attempts. */
  status(): readonly SupervisedChildStatus[];
  /** Resolves once no incident is in progress. */
  idle(): Promise<void>;
  /** Stops supervising: unsubscribes, cancels pending restarts, awaits the one in flight. Idempotent. */
  stop(): Promise<void>;
}

interface Incident {
  group: readonly string[];
  superseded: boolean;
  reactivated: boolean;
  /** Dependents left failed by a restart: their own incidents follow this one. */
  readonly casualties: Set<string>;
  done: Promise<IncidentOutcome>;
}

const CONFIG_KEYS = ['name', 'strategy', 'intensity', 'backoff', 'health', 'exclude'] as const;

/**
 * Supervises the host's plugins through core's contracts only: listens for `plugin.exited` and for
 * `plugin.transition`s from `active` to `failed` (a plugin that never became active — a boot
 * failure, a disabled plugin — is not restarted), and restarts the plugin with
 * `control.restart(name, { withDependents: strategy === 'rest_for_one', reload: false })` after the
 * backoff, within the restart intensity per plugin, else gives up with `supervisor.gave-up`.
 * It stops itself on `platform.stopping`, so it never fights the host's shutdown.
 *
 * @example
 * ```ts
 * const supervisor = createPluginSupervisor({ control: resolveService(PLUGIN_CONTROL), bus, intensity: { maxRestarts: 3 } });
 * // ... at shutdown, before stopping the host:
 * await supervisor.stop();
 * ```
 */
export function createPluginSupervisor(options: PluginSupervisorOptions): PluginSupervisor {
  return new PluginSupervisorImpl(options);
}

class PluginSupervisorImpl implements PluginSupervisor {
  readonly name: string;
  readonly config: PluginSupervisorConfig;
  readonly #control: PluginControl;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #emit: SupervisorEmitter;
  readonly #chain: readonly RecoveryStep<SupervisedPlugin>[];
  readonly #trackers = new Map<string, ChildTracker<SupervisedPlugin>>();
  readonly #incidents = new Map<string, Incident>();
  /** Plugins inside a `control.restart` of ours: their transitions are our doing. */
  readonly #restarting = new Set<string>();
  readonly #abort = new AbortController();
  readonly #subscriptions: Disposer[];
  readonly #monitor: HealthMonitor;
  #lock: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(options: PluginSupervisorOptions) {
    const input = Object.fromEntries(
      CONFIG_KEYS.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
    );
    this.config = parseSupervisorConfig(PluginSupervisorConfigSchema, input, 'plugin supervisor');
    this.name = this.config.name;
    this.#control = options.control;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#emit = supervisorEmitter(options.bus);
    this.#chain = options.recovery ?? defaultRecovery<SupervisedPlugin>();
    // The lifecycle events are merged into TrellisEvents by @trellis/lifecycle, which this package
    // must not import; the payloads are declared locally with the same shape.
    const bus = options.bus as unknown as EventBus<PluginSupervisionEvents>;
    this.#subscriptions = [
      bus.on('plugin.exited', (event) => {
        // Sent while the plugin is still `active`; a crash during a start or stop is that operation's failure.
        if (this.#control.get(event.plugin)?.state !== 'active') return;
        void this.#fail(event.plugin, `runtime ${event.reason}: ${event.detail}`, 'exited');
      }),
      bus.on('plugin.transition', (event) => {
        if (event.to === 'failed' && event.from === 'active' && !this.#restarting.has(event.plugin)) {
          const why = event.error?.message ?? event.reason ?? 'failed';
          void this.#fail(event.plugin, why, 'transition');
        } else if (event.to === 'active' && !this.#restarting.has(event.plugin)) {
          this.#reactivated(event.plugin);
        }
      }),
      bus.on('platform.stopping', () => void this.stop()),
    ];
    this.#monitor = new HealthMonitor({
      clock: this.#clock,
      config: this.config.health,
      targets: () =>
        this.#control
          .list()
          .filter((p) => p.state === 'active' && this.#watched(p.name))
          .map((p) => p.name),
      check: (name) => this.#control.health(name),
      onFailure: (name, reason) => void this.#fail(name, reason, 'health'),
    });
    this.#monitor.start();
  }

  pluginFailed(name: string, reason?: unknown): Promise<FailureHandling> {
    return this.#fail(
      name,
      reason === undefined ? 'reported failed' : describeError(reason),
      'reported',
      reason,
    );
  }

  revive(name: string): void {
    const tracker = this.#trackers.get(name);
    if (tracker && (tracker.state === 'given-up' || tracker.state === 'disabled')) {
      tracker.reset();
      tracker.state = 'idle';
    }
  }

  status(): readonly SupervisedChildStatus[] {
    return [...this.#trackers.entries()].map(([name, tracker]) => ({
      name,
      state: tracker.state,
      attempts: tracker.attempts,
      ...(tracker.lastFailure ? { lastFailure: tracker.lastFailure } : {}),
    }));
  }

  async idle(): Promise<void> {
    while (this.#incidents.size > 0) await Promise.all([...this.#incidents.values()].map((i) => i.done));
  }

  async stop(): Promise<void> {
    if (this.#stopped) return this.idle();
    this.#stopped = true;
    this.#abort.abort();
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#monitor.stop();
    await this.idle();
    for (const tracker of this.#trackers.values()) tracker.dispose();
  }

  /** A plugin came back by other means (an operator started it): forget give-ups, end its incident. */
  #reactivated(name: string): void {
    const incident = this.#incidents.get(name);
    if (incident) incident.reactivated = true;
    const tracker = this.#trackers.get(name);
    if (
      tracker &&
      (tracker.state === 'given-up' || tracker.state === 'disabled' || tracker.state === 'stopped')
    ) {
      tracker.reset();
      tracker.state = 'running';
    }
  }

  #watched(name: string): boolean {
    if (this.config.exclude.includes(name)) return false;
    const state = this.#trackers.get(name)?.state;
    return state !== 'recovering' && state !== 'given-up' && state !== 'disabled';
  }

  #fail(name: string, reason: string, source: FailureSource, error?: unknown): Promise<FailureHandling> {
    if (this.#stopped || !this.#watched(name) || this.#coveredBy(name) || !this.#control.get(name)) {
      return Promise.resolve('ignored');
    }
    const tracker = this.#tracker(name);
    const group = this.#group(name);
    for (const member of group.slice(1)) {
      const other = this.#incidents.get(member);
      if (other) other.superseded = true;
    }
    const incident: Incident = {
      group,
      superseded: false,
      reactivated: false,
      casualties: new Set(),
      done: Promise.resolve('cancelled'),
    };
    this.#incidents.set(name, incident);
    const run = runIncident(
      {
        supervisor: this.name,
        child: { name },
        tracker,
        backoff: this.config.backoff,
        intensity: this.config.intensity,
        clock: this.#clock,
        random: this.#random,
        signal: this.#abort.signal,
        emit: this.#emit,
        with: () => {
          incident.group = this.#group(name);
          return incident.group.slice(1);
        },
        actions: {
          restart: () => this.#restart(name, incident),
          disable: async () => {
            await this.#control.stop(name, { actor: SUPERVISOR_ACTOR });
          },
        },
        precheck: () => this.#precheck(name, incident),
        exclusive: <T>(fn: () => Promise<T>) => this.#exclusive(fn),
      },
      { reason, source, at: this.#clock.now(), ...(error === undefined ? {} : { error }) },
    );
    incident.done = run.then((outcome) => {
      this.#incidents.delete(name);
      // A cancelled incident leaves the plugin to whoever took it over (an operator, the host).
      if (outcome === 'cancelled' && tracker.state === 'recovering') tracker.state = 'stopped';
      if (outcome === 'recovered') {
        for (const casualty of incident.casualties) {
          void this.#fail(casualty, `did not start again after restarting "${name}"`, 'recovery');
        }
      }
      return outcome;
    });
    return incident.done;
  }

  #precheck(name: string, incident: Incident): IncidentPrecheck {
    if (incident.superseded) return 'cancelled';
    if (incident.reactivated) return 'recovered';
    const state = this.#control.get(name)?.state;
    // Someone stopped or removed it on purpose since it failed: not ours to bring back.
    if (state === undefined || state === 'stopping' || state === 'stopped' || state === 'uninstalled') {
      return 'cancelled';
    }
    return 'proceed';
  }

  async #restart(name: string, incident: Incident): Promise<void> {
    const group = incident.group;
    for (const member of group) this.#restarting.add(member);
    let summary: PluginSummary;
    try {
      summary = await this.#control.restart(name, {
        withDependents: this.config.strategy === 'rest_for_one',
        reload: false,
        actor: SUPERVISOR_ACTOR,
      });
    } finally {
      for (const member of group) this.#restarting.delete(member);
    }
    if (summary.state !== 'active') {
      throw new Error(summary.error?.message ?? `plugin "${name}" is ${summary.state} after the restart`);
    }
    for (const member of group.slice(1)) {
      if (this.#control.get(member)?.state === 'failed') incident.casualties.add(member);
    }
  }

  /** The plugin and, under `rest_for_one`, its active dependents (direct or not), in start order. */
  #group(name: string): readonly string[] {
    if (this.config.strategy === 'one_for_one') return [name];
    const plugins = this.#control.list();
    const dependents = new Set<string>([name]);
    // list() is in start order, so one pass sees every dependency before its dependents.
    for (const plugin of plugins) {
      if (plugin.dependencies.some((d) => dependents.has(d))) dependents.add(plugin.name);
    }
    return [
      name,
      ...plugins
        .filter((p) => p.name !== name && dependents.has(p.name) && p.state === 'active')
        .map((p) => p.name),
    ];
  }

  #coveredBy(name: string): boolean {
    if (this.#incidents.has(name)) return true;
    for (const incident of this.#incidents.values())
      if (!incident.superseded && incident.group.includes(name)) return true;
    return false;
  }

  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    // Restarts through the host are serialised: two overlapping restarts would stop each other's plugins.
    const next = this.#lock.then(run, run);
    this.#lock = next.catch(() => undefined);
    return next;
  }

  #tracker(name: string): ChildTracker<SupervisedPlugin> {
    let tracker = this.#trackers.get(name);
    if (!tracker) {
      tracker = new ChildTracker(this.#chain, this.config.intensity, this.#clock);
      this.#trackers.set(name, tracker);
    }
    return tracker;
  }
}
