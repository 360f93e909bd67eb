import { type Clock, type EventBus, systemClock, TrellisError, type TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';
import {
  type AdaptiveLimitConfig,
  type AdaptiveLimitSettings,
  createLimitAlgorithm,
  parseAdaptiveLimitConfig,
} from './adaptive-limit-schema.js';
import { clamp } from './aimd-limit.js';
import type { LimitAlgorithm } from './limit-algorithm.js';
import { LimitExceededError, type LimitExceededReason } from './limit-errors.js';
import { LimiterPermit, type Permit, type PermitOutcome } from './permit.js';
import { type WaiterNode, WaiterQueue } from './waiter-queue.js';

/** Collaborators of an {@link AdaptiveConcurrencyLimiter}; all optional. */
export interface AdaptiveLimiterDeps {
  /** Measures RTTs and times out queued callers; default the system clock. */
  readonly clock?: Clock;
  /** Receives `resilience.limit` and `resilience.reject`. */
  readonly bus?: EventBus<TrellisEvents>;
  /** Replaces the algorithm `config.algorithm` names; the limiter still bounds it by [min, max]. */
  readonly algorithm?: LimitAlgorithm;
}

/** Options of {@link AdaptiveConcurrencyLimiter.acquire}. */
export interface AcquireOptions {
  /** Gives up waiting when aborted; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of {@link AdaptiveConcurrencyLimiter.execute}. */
export interface ExecuteOptions extends AcquireOptions {
  /** How a thrown error releases the permit; default {@link defaultErrorOutcome}. */
  readonly classify?: (error: unknown) => Exclude<PermitOutcome, 'success'>;
}

/** A limiter's counters since it was created, plus its current state. */
export interface LimiterStats {
  readonly name: string;
  readonly algorithm: string;
  readonly limit: number;
  readonly inflight: number;
  readonly queued: number;
  /** Permits handed out, at once or after queueing. */
  readonly acquired: number;
  /** Calls refused: at the limit, queue full, or queue timeout. */
  readonly rejected: number;
  readonly succeeded: number;
  readonly dropped: number;
  readonly ignored: number;
}

interface Waiter {
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  timer: { cancel(): void } | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * An adaptive concurrency limiter, as in Netflix concurrency-limits: it admits at most `limit`
 * calls at once and moves `limit` with what completed calls say about the downstream (their RTT
 * and whether they were dropped), instead of a hand-tuned bulkhead size that is wrong as soon as
 * the downstream or its load changes.
 *
 * @example
 * ```ts
 * const limiter = new AdaptiveConcurrencyLimiter({ name: 'plugin:billing' }, { bus });
 * const permit = limiter.tryAcquire();
 * if (!permit) return shed();
 * try { const result = await charge(); permit.success(); return result; }
 * catch (error) { permit.dropped(); throw error; }
 * ```
 */
export class AdaptiveConcurrencyLimiter {
  /** The validated config, defaults applied. */
  readonly settings: AdaptiveLimitSettings;
  readonly #algorithm: LimitAlgorithm;
  readonly #clock: Clock;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #queue = new WaiterQueue<Waiter>();
  // One release function per limiter, shared by every permit: no closure per call.
  readonly #release = (permit: LimiterPermit, outcome: PermitOutcome): void =>
    this.#onRelease(permit, outcome);
  #limit: number;
  #inflight = 0;
  #acquired = 0;
  #rejected = 0;
  #succeeded = 0;
  #dropped = 0;
  #ignored = 0;

  constructor(config: AdaptiveLimitConfig = {}, deps: AdaptiveLimiterDeps = {}) {
    this.settings = parseAdaptiveLimitConfig(config);
    this.#algorithm = deps.algorithm ?? createLimitAlgorithm(this.settings);
    this.#clock = deps.clock ?? systemClock;
    this.#bus = deps.bus;
    this.#limit = this.#bounded(this.#algorithm.limit);
  }

  /** The limiter's name, as events and errors show it. */
  get name(): string {
    return this.settings.name;
  }

  /** Calls admitted at once now: a whole number within [minLimit, maxLimit]. */
  get limit(): number {
    return this.#limit;
  }

  /** Calls holding a permit now. */
  get inflight(): number {
    return this.#inflight;
  }

  /** Callers parked in `acquire()` now. */
  get queued(): number {
    return this.#queue.size;
  }

  /**
   * A permit when under the limit, else `undefined` (and a `resilience.reject` event). Synchronous
   * and O(1): the permit is the only allocation.
   */
  tryAcquire(): Permit | undefined {
    if (this.#inflight < this.#limit) return this.#grant();
    this.#refused();
    return undefined;
  }

  /**
   * A permit, waiting for one when at the limit: at most `maxQueue` callers wait, each at most
   * `queueTimeoutMs`, first come first served. Rejects with {@link LimitExceededError} (reason
   * `limit` when `maxQueue` is 0, `queue-full`, or `queue-timeout`), or the signal's reason.
   */
  acquire(options: AcquireOptions = {}): Promise<Permit> {
    const { signal } = options;
    // Before granting: a permit handed to a caller that already gave up would never be released.
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inflight < this.#limit) return Promise.resolve(this.#grant());
    if (this.#queue.size >= this.settings.maxQueue) {
      this.#refused();
      return Promise.reject(this.#error(this.settings.maxQueue === 0 ? 'limit' : 'queue-full'));
    }
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined, signal, onAbort: undefined };
      const node = this.#queue.push(waiter);
      waiter.timer = this.#clock.setTimeout(() => {
        this.#leave(node);
        this.#refused();
        reject(this.#error('queue-timeout'));
      }, this.settings.queueTimeoutMs);
      if (signal) {
        waiter.onAbort = () => {
          this.#leave(node);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
    });
  }

  /**
   * Runs `fn` under a permit from {@link AdaptiveConcurrencyLimiter.acquire}: success when it
   * resolves, else the outcome `classify` picks (default {@link defaultErrorOutcome}); the error
   * is rethrown.
   */
  async execute<T>(fn: () => T | Promise<T>, options: ExecuteOptions = {}): Promise<T> {
    const permit = await this.acquire(options);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      const outcome = (options.classify ?? defaultErrorOutcome)(error);
      if (outcome === 'dropped') permit.dropped();
      else permit.ignore();
      throw error;
    }
    permit.success();
    return result;
  }

  /** Counters since creation and the current state. */
  stats(): LimiterStats {
    return {
      name: this.settings.name,
      algorithm: this.#algorithm.name,
      limit: this.#limit,
      inflight: this.#inflight,
      queued: this.#queue.size,
      acquired: this.#acquired,
      rejected: this.#rejected,
      succeeded: this.#succeeded,
      dropped: this.#dropped,
      ignored: this.#ignored,
    };
  }

  #grant(): LimiterPermit {
    this.#inflight += 1;
    this.#acquired += 1;
    return new LimiterPermit(this.#release, this.#clock.now(), this.#inflight);
  }

  #onRelease(permit: LimiterPermit, outcome: PermitOutcome): void {
    this.#inflight -= 1;
    if (outcome === 'ignore') {
      this.#ignored += 1;
    } else {
      const dropped = outcome === 'dropped';
      if (dropped) this.#dropped += 1;
      else this.#succeeded += 1;
      const rttMs = this.#clock.now() - permit.startedAt;
      this.#setLimit(this.#algorithm.update({ rttMs, inflight: permit.inflight, dropped }));
    }
    this.#drain();
  }

  #setLimit(estimate: number): void {
    const next = this.#bounded(estimate);
    const from = this.#limit;
    if (next === from) return;
    this.#limit = next;
    const bus = this.#bus;
    if (bus && bus.listenerCount('resilience.limit') > 0) {
      bus.emit('resilience.limit', { limiter: this.settings.name, from, to: next });
    }
  }

  // Hands freed capacity to parked callers, oldest first.
  #drain(): void {
    while (this.#inflight < this.#limit) {
      const waiter = this.#queue.shift();
      if (!waiter) return;
      this.#settle(waiter);
      waiter.resolve(this.#grant());
    }
  }

  #leave(node: WaiterNode<Waiter>): void {
    this.#queue.remove(node);
    this.#settle(node.value);
  }

  #settle(waiter: Waiter): void {
    waiter.timer?.cancel();
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }

  #bounded(estimate: number): number {
    return clamp(Math.floor(estimate), this.settings.minLimit, this.settings.maxLimit);
  }

  #refused(): void {
    this.#rejected += 1;
    const bus = this.#bus;
    if (bus && bus.listenerCount('resilience.reject') > 0) {
      bus.emit('resilience.reject', { policy: this.settings.name, reason: 'concurrency-limit' });
    }
  }

  #error(reason: LimitExceededReason): LimitExceededError {
    return new LimitExceededError(this.settings.name, reason, this.#limit, this.#inflight, this.#queue.size);
  }
}

const OVERLOAD_ERROR_NAMES = new Set([
  'TimeoutError',
  'TaskCancelledError',
  'BrokenCircuitError',
  'BulkheadRejectedError',
]);
const OVERLOAD_ERROR_CODES = new Set(['DEADLINE_EXCEEDED', 'RESILIENCE_LIMIT_EXCEEDED']);

/**
 * How {@link AdaptiveConcurrencyLimiter.execute} releases a permit when the call throws:
 * `dropped` for timeouts and overload (core's `DEADLINE_EXCEEDED`, a downstream limiter's
 * `RESILIENCE_LIMIT_EXCEEDED`, a `TimeoutError`, cockatiel's cancellation, open-breaker and
 * bulkhead errors), `ignore` for anything else: a validation error says nothing about capacity.
 */
export function defaultErrorOutcome(error: unknown): Exclude<PermitOutcome, 'success'> {
  if (error instanceof TrellisError) return OVERLOAD_ERROR_CODES.has(error.code) ? 'dropped' : 'ignore';
  return error instanceof Error && OVERLOAD_ERROR_NAMES.has(error.name) ? 'dropped' : 'ignore';
}
