import { type Clock, describeError, type EventBus, systemClock, type TrellisEvents } from '@trellis/core';
import { ChildTracker } from './child-tracker.js';
import { HealthMonitor } from './health-monitor.js';
import { type IncidentOutcome, runIncident } from './incident.js';
import { defaultRecovery, type RecoveryStep } from './recovery.js';
import {
  parseSupervisorConfig,
  type SupervisorConfig,
  type SupervisorConfigInput,
  SupervisorConfigSchema,
} from './supervisor-config.js';
import {
  SupervisorChildDuplicateError,
  SupervisorChildUnknownError,
  SupervisorStartFailedError,
  SupervisorStateError,
  SupervisorStopFailedError,
} from './supervisor-errors.js';
import { type SupervisorEmitter, supervisorEmitter } from './supervisor-events.js';
import type { FailureSource, SupervisedChild, SupervisedChildStatus } from './supervisor-types.js';

/** Options of {@link Supervisor}. */
export interface SupervisorOptions<C extends SupervisedChild = SupervisedChild> {
  /** The children, in start order (under `rest_for_one`, later children depend on earlier ones). */
  readonly children: readonly C[];
  /** Validated by {@link SupervisorConfigSchema}; every field has a default. */
  readonly config?: SupervisorConfigInput;
  /** The recovery chain; default: restart until the intensity runs out. */
  readonly recovery?: readonly RecoveryStep<C>[];
  /** Receives `supervisor.*` events when given. */
  readonly bus?: EventBus<TrellisEvents>;
  /** Default the system clock; tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Jitter source, values in [0, 1); default `Math.random`. */
  readonly random?: () => number;
}

/** Where a {@link Supervisor} is in its own life. */
export type SupervisorState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** What {@link Supervisor.childFailed} did: `ignored` when the failure was already being handled. */
export type FailureHandling = IncidentOutcome | 'ignored';

interface Incident {
  group: readonly string[];
  superseded: boolean;
  done: Promise<IncidentOutcome>;
}

/**
 * An Erlang/OTP-style supervisor: starts its children in order, and when one fails — reported with
 * {@link Supervisor.childFailed} or found by health polling — recovers it with the configured chain
 * (restart by default), with exponential backoff and jitter between attempts, within a restart
 * intensity; beyond it the supervisor gives up on that child and emits `supervisor.gave-up`.
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor({ children: [db, cache, api], config: { strategy: 'rest_for_one' } });
 * await supervisor.start();
 * db.onCrash((error) => void supervisor.childFailed('db', error));
 * ```
 */
export class Supervisor<C extends SupervisedChild = SupervisedChild> {
  /** From the config; names the supervisor in events. */
  readonly name: string;
  /** The parsed config, defaults applied. */
  readonly config: SupervisorConfig;
  readonly #children: readonly C[];
  readonly #trackers = new Map<string, ChildTracker<C>>();
  readonly #incidents = new Map<string, Incident>();
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #emit: SupervisorEmitter;
  readonly #abort = new AbortController();
  readonly #monitor: HealthMonitor;
  #state: SupervisorState = 'idle';
  #lock: Promise<unknown> = Promise.resolve();

  constructor(options: SupervisorOptions<C>) {
    this.config = parseSupervisorConfig(SupervisorConfigSchema, options.config, 'supervisor');
    this.name = this.config.name;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#emit = supervisorEmitter(options.bus);
    this.#children = [...options.children];
    const chain = options.recovery ?? defaultRecovery<C>();
    for (const child of this.#children) {
      if (this.#trackers.has(child.name)) throw new SupervisorChildDuplicateError(this.name, child.name);
      this.#trackers.set(child.name, new ChildTracker(chain, this.config.intensity, this.#clock));
    }
    this.#monitor = new HealthMonitor({
      clock: this.#clock,
      config: this.config.health,
      targets: () =>
        this.#children
          .filter((c) => c.health && this.#tracker(c.name).state === 'running')
          .map((c) => c.name),
      check: (name) => this.#child(name).health?.() ?? Promise.resolve({ status: 'pass' }),
      onFailure: (name, reason) => void this.#fail(name, reason, 'health'),
    });
  }

  /** The supervisor's state. */
  get state(): SupervisorState {
    return this.#state;
  }

  /**
   * Starts every child in order. When one fails, those already started are stopped (latest first)
   * and {@link SupervisorStartFailedError} is thrown: a child that never started is a bug to fix,
   * not a crash to restart.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new SupervisorStateError(this.name, 'start', this.#state);
    this.#state = 'starting';
    const started: C[] = [];
    for (const child of this.#children) {
      try {
        await child.start();
      } catch (error) {
        for (const done of started.reverse()) await done.stop().catch(() => undefined);
        for (const tracker of this.#trackers.values()) tracker.state = 'stopped';
        this.#state = 'stopped';
        throw new SupervisorStartFailedError(this.name, child.name, error);
      }
      started.push(child);
      this.#tracker(child.name).state = 'running';
    }
    this.#state = 'running';
    this.#monitor.start();
  }

  /**
   * Stops supervising — pending backoffs are cancelled, an attempt in flight is awaited — then stops
   * every child latest first. Throws {@link SupervisorStopFailedError} after the fact if some failed.
   */
  async stop(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    const wasIdle = this.#state === 'idle';
    this.#state = 'stopping';
    this.#abort.abort();
    this.#monitor.stop();
    await this.idle();
    const failures: { child: string; message: string }[] = [];
    if (!wasIdle) {
      for (const child of [...this.#children].reverse()) {
        const tracker = this.#tracker(child.name);
        if (tracker.state !== 'running' && tracker.state !== 'recovering') continue;
        await child
          .stop()
          .catch((error: unknown) => failures.push({ child: child.name, message: describeError(error) }));
      }
    }
    for (const tracker of this.#trackers.values()) {
      tracker.dispose();
      tracker.state = 'stopped';
    }
    this.#state = 'stopped';
    if (failures.length > 0) throw new SupervisorStopFailedError(this.name, failures);
  }

  /**
   * Reports that `name` failed. Resolves once the incident is over: `recovered`, `gave-up`,
   * `disabled`, `cancelled` (the supervisor stopped), or `ignored` when the failure is already being
   * handled (the child, or under `rest_for_one` an earlier child, is recovering) or the supervisor
   * is not running. Rejects with {@link SupervisorChildUnknownError} for an unknown name.
   */
  async childFailed(name: string, reason?: unknown): Promise<FailureHandling> {
    this.#child(name);
    return this.#fail(
      name,
      reason === undefined ? 'reported failed' : describeError(reason),
      'reported',
      reason,
    );
  }

  /**
   * Brings back a child the supervisor gave up on or disabled: its counters are reset and it is
   * started (under `rest_for_one`, with the children after it that stopped because it gave up).
   * Rejects with the child's start error if it still cannot start.
   */
  async revive(name: string): Promise<void> {
    if (this.#state !== 'running') throw new SupervisorStateError(this.name, 'revive a child', this.#state);
    const tracker = this.#tracker(name);
    if (tracker.state === 'running' || tracker.state === 'recovering') return;
    const index = this.#children.findIndex((c) => c.name === name);
    const group = this.#children.filter(
      (c, i) =>
        c.name === name ||
        (this.config.strategy === 'rest_for_one' && i > index && this.#tracker(c.name).state === 'stopped'),
    );
    tracker.reset();
    for (const child of group) {
      await child.start();
      this.#tracker(child.name).state = 'running';
    }
  }

  /** Each child's state, attempts and latest failure, in start order. */
  status(): readonly SupervisedChildStatus[] {
    return this.#children.map((child) => {
      const tracker = this.#tracker(child.name);
      return {
        name: child.name,
        state: tracker.state,
        attempts: tracker.attempts,
        ...(tracker.lastFailure ? { lastFailure: tracker.lastFailure } : {}),
      };
    });
  }

  /** Resolves once no incident is in progress (including incidents that start meanwhile). */
  async idle(): Promise<void> {
    while (this.#incidents.size > 0) await Promise.all([...this.#incidents.values()].map((i) => i.done));
  }

  #fail(name: string, reason: string, source: FailureSource, error?: unknown): Promise<FailureHandling> {
    const tracker = this.#tracker(name);
    if (this.#state !== 'running' || tracker.state !== 'running' || this.#coveredBy(name) !== undefined) {
      return Promise.resolve('ignored');
    }
    const restForOne = this.config.strategy === 'rest_for_one';
    const group = this.#group(name);
    // Later children recovering on their own are restarted by this incident instead.
    for (const member of group.slice(1)) {
      const other = this.#incidents.get(member);
      if (other) other.superseded = true;
    }
    const incident: Incident = { group, superseded: false, done: Promise.resolve('cancelled') };
    this.#incidents.set(name, incident);
    const child = this.#child(name);
    const run = runIncident(
      {
        supervisor: this.name,
        child,
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
          restart: () => this.#restartGroup(incident.group),
          disable: () => child.stop(),
        },
        precheck: () => (incident.superseded ? 'cancelled' : 'proceed'),
        ...(restForOne ? { exclusive: <T>(fn: () => Promise<T>) => this.#exclusive(fn) } : {}),
      },
      { reason, source, at: this.#clock.now(), ...(error === undefined ? {} : { error }) },
    );
    incident.done = run.then((outcome) => {
      if (outcome === 'gave-up' || outcome === 'disabled') {
        // Under rest_for_one the later children were stopped by the failed attempts: they stay down.
        for (const member of incident.group.slice(1)) {
          const other = this.#tracker(member);
          if (other.state === 'recovering' && !this.#incidents.has(member)) other.state = 'stopped';
        }
      }
      this.#incidents.delete(name);
      return outcome;
    });
    return incident.done;
  }

  /** Stops `group` latest first (tolerating errors: the failed child may be dead), then starts it in order. */
  async #restartGroup(group: readonly string[]): Promise<void> {
    const children = group.map((name) => this.#child(name));
    for (const child of children.slice(1)) this.#tracker(child.name).state = 'recovering';
    for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
    for (const child of children) await child.start();
    // The owner is marked by its incident; the others serve again now (and start a healthy window).
    for (const child of children.slice(1)) this.#tracker(child.name).recovered();
  }

  /** The child and, under `rest_for_one`, every later child still meant to run. */
  #group(name: string): readonly string[] {
    if (this.config.strategy === 'one_for_one') return [name];
    const index = this.#children.findIndex((c) => c.name === name);
    return this.#children
      .filter(
        (c, i) =>
          i === index || (i > index && ['running', 'recovering'].includes(this.#tracker(c.name).state)),
      )
      .map((c) => c.name);
  }

  /** The incident already handling `name`, if any. */
  #coveredBy(name: string): Incident | undefined {
    const own = this.#incidents.get(name);
    if (own) return own;
    for (const incident of this.#incidents.values())
      if (!incident.superseded && incident.group.includes(name)) return incident;
    return undefined;
  }

  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#lock.then(run, run);
    this.#lock = next.catch(() => undefined);
    return next;
  }

  #child(name: string): C {
    const child = this.#children.find((c) => c.name === name);
    if (!child) {
      throw new SupervisorChildUnknownError(
        this.name,
        name,
        this.#children.map((c) => c.name),
      );
    }
    return child;
  }

  #tracker(name: string): ChildTracker<C> {
    const tracker = this.#trackers.get(name);
    if (!tracker) throw new SupervisorChildUnknownError(this.name, name, [...this.#trackers.keys()]);
    return tracker;
  }
}
