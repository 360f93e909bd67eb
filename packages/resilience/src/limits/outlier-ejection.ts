import { type Clock, type EventBus, systemClock, type TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';
import { FailureWindow } from './failure-window.js';
import { MemberEjectedError } from './limit-errors.js';
import {
  type OutlierEjectionConfig,
  type OutlierEjectionSettings,
  parseOutlierEjectionConfig,
} from './outlier-ejection-schema.js';

/** Collaborators of an {@link OutlierEjection} pool; all optional. */
export interface OutlierEjectionDeps {
  /** Times ejections; default the system clock. */
  readonly clock?: Clock;
  /** Uniform in [0, 1), for the `random` strategy; default `Math.random`. */
  readonly random?: () => number;
  /** Receives `resilience.ejection` and `resilience.reject`. */
  readonly bus?: EventBus<TrellisEvents>;
}

/** One member's state, as {@link OutlierEjection.status} reports it. */
export interface MemberStatus {
  readonly member: string;
  readonly ejected: boolean;
  /** When the current ejection ends, by the pool's clock; 0 when not ejected. */
  readonly ejectedUntil: number;
  /** The ejection multiplier: times ejected, less one per healthy window since. */
  readonly ejections: number;
  readonly consecutiveFailures: number;
  readonly windowRequests: number;
  readonly windowFailures: number;
}

/** Options of {@link OutlierEjection.execute}. */
export interface EjectionExecuteOptions {
  /** Whether a thrown error counts against the member; default every error does. */
  readonly isFailure?: (error: unknown) => boolean;
}

interface MemberState {
  readonly member: string;
  readonly window: FailureWindow;
  consecutive: number;
  ejectedUntil: number;
  ejections: number;
  // When the member last came back; the multiplier decays from here.
  returnedAt: number;
}

/**
 * Passive outlier ejection, as in Envoy: each call's outcome is recorded against the member that
 * served it; a member with `consecutiveFailures` failures in a row, or a failure ratio of at
 * least `failureRatio` over `windowMs`, is taken out of rotation for
 * `min(baseEjectionMs × n, maxEjectionMs)` (n: how often it was ejected lately), never more than
 * `maxEjectionPercent` of the pool at once. Members come back lazily: the next `isEjected()`,
 * `pick()` or record after the time passes returns them, so the pool needs no timers.
 *
 * @example
 * ```ts
 * const pool = new OutlierEjection({ name: 'search', members: ['a', 'b', 'c'] }, { bus });
 * const member = pool.pick();
 * if (member) await pool.execute(member, () => call(member));
 * ```
 */
export class OutlierEjection {
  /** The validated config, defaults applied. */
  readonly settings: OutlierEjectionSettings;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #states = new Map<string, MemberState>();
  // Insertion order, for round robin; small pools, so removal by splice is fine.
  readonly #order: MemberState[] = [];
  #cursor = 0;
  #ejectedCount = 0;
  #nextReturnAt = Number.POSITIVE_INFINITY;
  #skipped = 0;

  constructor(config: OutlierEjectionConfig = {}, deps: OutlierEjectionDeps = {}) {
    this.settings = parseOutlierEjectionConfig(config);
    this.#clock = deps.clock ?? systemClock;
    this.#random = deps.random ?? Math.random;
    this.#bus = deps.bus;
    for (const member of this.settings.members) this.add(member);
  }

  /** The pool's name. */
  get name(): string {
    return this.settings.name;
  }

  /** Members of the pool, in the order they joined. */
  get members(): readonly string[] {
    return this.#order.map((state) => state.member);
  }

  /** Members out of rotation now. */
  get ejectedCount(): number {
    this.#returnDue(this.#clock.now());
    return this.#ejectedCount;
  }

  /** Ejections that the `maxEjectionPercent` cap prevented, since creation. */
  get skippedEjections(): number {
    return this.#skipped;
  }

  /** How many members may be out at once: `maxEjectionPercent` of the pool, rounded down. */
  get maxEjected(): number {
    return Math.floor((this.#order.length * this.settings.maxEjectionPercent) / 100);
  }

  /** Adds `member` to the pool; harmless when it is already there. */
  add(member: string): void {
    this.#state(member);
  }

  /** Removes `member` from the pool (it no longer counts towards the cap). */
  remove(member: string): boolean {
    const state = this.#states.get(member);
    if (!state) return false;
    if (state.ejectedUntil > 0) this.#ejectedCount -= 1;
    this.#states.delete(member);
    this.#order.splice(this.#order.indexOf(state), 1);
    return true;
  }

  /** True while `member` is ejected; returns it to rotation first when its time is up. */
  isEjected(member: string): boolean {
    this.#returnDue(this.#clock.now());
    return (this.#states.get(member)?.ejectedUntil ?? 0) > 0;
  }

  /** A member in rotation (round robin or random, per `strategy`), or undefined when none is. */
  pick(): string | undefined {
    this.#returnDue(this.#clock.now());
    const total = this.#order.length;
    const healthy = total - this.#ejectedCount;
    if (healthy <= 0) return undefined;
    const order = this.#order;
    if (this.settings.strategy === 'random') {
      // The n-th healthy member, n uniform: unbiased without building a list of the healthy.
      let n = Math.min(Math.floor(this.#random() * healthy), healthy - 1);
      for (let index = 0; ; index += 1) {
        const state = order[index] as MemberState;
        if (state.ejectedUntil > 0) continue;
        if (n === 0) return state.member;
        n -= 1;
      }
    }
    // healthy > 0, so this stops within one lap.
    let index = this.#cursor % total;
    while ((order[index] as MemberState).ejectedUntil > 0) index = (index + 1) % total;
    this.#cursor = (index + 1) % total;
    return (order[index] as MemberState).member;
  }

  /** Records a successful call served by `member`. */
  recordSuccess(member: string): void {
    this.#record(member, false);
  }

  /** Records a failed call served by `member`; may eject it. */
  recordFailure(member: string): void {
    this.#record(member, true);
  }

  /**
   * Runs `fn` against `member` and records its outcome. When `member` is ejected, `fn` does not
   * run: a `resilience.reject` (`ejected`) is emitted and {@link MemberEjectedError} thrown.
   */
  async execute<T>(
    member: string,
    fn: () => T | Promise<T>,
    options: EjectionExecuteOptions = {},
  ): Promise<T> {
    const now = this.#clock.now();
    this.#returnDue(now);
    const state = this.#state(member);
    if (state.ejectedUntil > 0) {
      const bus = this.#bus;
      if (bus && bus.listenerCount('resilience.reject') > 0) {
        bus.emit('resilience.reject', { policy: this.settings.name, reason: 'ejected' });
      }
      throw new MemberEjectedError(this.settings.name, member, state.ejectedUntil - now);
    }
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.#record(member, options.isFailure?.(error) ?? true);
      throw error;
    }
    this.#record(member, false);
    return result;
  }

  /** The state of `member`, or undefined when it is not in the pool. */
  status(member: string): MemberStatus | undefined {
    const now = this.#clock.now();
    this.#returnDue(now);
    const state = this.#states.get(member);
    return state && describe(state, now);
  }

  /** The state of every member, in the order they joined. */
  snapshot(): MemberStatus[] {
    const now = this.#clock.now();
    this.#returnDue(now);
    return this.#order.map((state) => describe(state, now));
  }

  #state(member: string): MemberState {
    let state = this.#states.get(member);
    if (!state) {
      const { windowMs, windowBuckets } = this.settings;
      state = {
        member,
        window: new FailureWindow(windowMs, windowBuckets),
        consecutive: 0,
        ejectedUntil: 0,
        ejections: 0,
        returnedAt: Number.NEGATIVE_INFINITY,
      };
      this.#states.set(member, state);
      this.#order.push(state);
    }
    return state;
  }

  #record(member: string, failed: boolean): void {
    const now = this.#clock.now();
    this.#returnDue(now);
    const state = this.#state(member);
    // Calls that were in flight when the member was ejected say nothing new; counting them
    // would only carry the old failures into its next stint.
    if (state.ejectedUntil > 0) return;
    state.window.record(now, failed);
    state.consecutive = failed ? state.consecutive + 1 : 0;
    if (failed && this.#isOutlier(state, now)) this.#eject(state, now);
  }

  #isOutlier(state: MemberState, now: number): boolean {
    const { consecutiveFailures, failureRatio, minRequests } = this.settings;
    if (consecutiveFailures > 0 && state.consecutive >= consecutiveFailures) return true;
    if (failureRatio === 0) return false;
    const requests = state.window.requests(now);
    return requests >= minRequests && state.window.failures(now) / requests >= failureRatio;
  }

  #eject(state: MemberState, now: number): void {
    if (this.#ejectedCount + 1 > this.maxEjected) {
      this.#skipped += 1;
      return;
    }
    const { windowMs, baseEjectionMs, maxEjectionMs } = this.settings;
    // Forgive one step per window spent healthy since the last return, as Envoy does per
    // interval: a member that failed once a week ago should not get a long ejection today.
    const healthyWindows = Math.floor((now - state.returnedAt) / windowMs);
    state.ejections = Math.max(0, state.ejections - healthyWindows) + 1;
    const forMs = Math.min(baseEjectionMs * state.ejections, maxEjectionMs);
    state.ejectedUntil = now + forMs;
    this.#ejectedCount += 1;
    if (state.ejectedUntil < this.#nextReturnAt) this.#nextReturnAt = state.ejectedUntil;
    this.#announce(state, true, forMs);
  }

  // Lazy return: one comparison per call until some ejection is due, then one pass.
  #returnDue(now: number): void {
    if (now < this.#nextReturnAt) return;
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.#order) {
      if (state.ejectedUntil === 0) continue;
      if (state.ejectedUntil <= now) {
        state.returnedAt = state.ejectedUntil;
        state.ejectedUntil = 0;
        state.consecutive = 0;
        state.window.reset();
        this.#ejectedCount -= 1;
        this.#announce(state, false, 0);
      } else if (state.ejectedUntil < next) {
        next = state.ejectedUntil;
      }
    }
    this.#nextReturnAt = next;
  }

  #announce(state: MemberState, ejected: boolean, forMs: number): void {
    const bus = this.#bus;
    if (bus && bus.listenerCount('resilience.ejection') > 0) {
      bus.emit('resilience.ejection', {
        pool: this.settings.name,
        member: state.member,
        ejected,
        forMs,
        ejections: state.ejections,
      });
    }
  }
}

function describe(state: MemberState, now: number): MemberStatus {
  return {
    member: state.member,
    ejected: state.ejectedUntil > 0,
    ejectedUntil: state.ejectedUntil,
    ejections: state.ejections,
    consecutiveFailures: state.consecutive,
    windowRequests: state.window.requests(now),
    windowFailures: state.window.failures(now),
  };
}
