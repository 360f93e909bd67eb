import '../events/resilience-events.js';
import type { Clock, Disposer, EventBus, TrellisEvents } from '@trellis/core';
import type { BreakerState, EventError, RejectReason } from '../events/resilience-events.js';
import { PlainAttempt, type PolicyFn } from './attempt-context.js';
import { BackoffSequence, type RandomSource } from './backoff.js';
import type { Bulkhead } from './bulkhead.js';
import { type CircuitBreaker, REFUSED } from './circuit-breaker.js';
import {
  BulkheadFullError,
  isPolicyRejection,
  PolicyTimeoutError,
  RetryBudgetExhaustedError,
} from './policy-errors.js';
import type { FallbackConfig, FallbackTrigger, RetryConfig } from './policy-schema.js';
import type { RetryBudget } from './retry-budget.js';
import { sleep } from './sleep.js';
import type { Timeout } from './timeout.js';

/** Per-call options of {@link Policy.execute}. */
export interface ExecuteOptions<T> {
  /** Aborts the call: checked before each attempt, interrupts backoff and queueing, passed to the callee. */
  readonly signal?: AbortSignal;
  /**
   * Served instead of failing. With a `fallback` section in the config, only for the failures
   * its `on` lists; otherwise for every failure. Never for a caller abort.
   */
  readonly fallback?: (error: unknown) => T | PromiseLike<T>;
}

/** Counters of a {@link Policy} since it was built. */
export interface PolicyStats {
  /** Calls to `execute`. */
  readonly calls: number;
  readonly successes: number;
  /** Calls that ended in an error (refusals included, fallbacks not). */
  readonly failures: number;
  /** Attempts after the first. */
  readonly retries: number;
  /** Attempts that timed out. */
  readonly timeouts: number;
  /** Calls refused without running, by reason. */
  readonly rejected: {
    readonly breakerOpen: number;
    readonly bulkheadFull: number;
    readonly budgetExhausted: number;
  };
  /** Calls answered by a fallback. */
  readonly fallbacks: number;
}

/** The parts of a {@link Policy}; {@link composePolicy} builds them from configuration. */
export interface PolicyParts {
  readonly name: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly bus?: EventBus<TrellisEvents>;
  readonly bulkhead?: Bulkhead;
  readonly retry?: RetryConfig;
  readonly budget?: RetryBudget;
  readonly breaker?: CircuitBreaker;
  readonly timeout?: Timeout;
  readonly fallback?: FallbackConfig;
  /** Run by {@link Policy.dispose} (e.g. detaching shared breaker state). */
  readonly disposers?: readonly Disposer[];
}

function toEventError(error: unknown): EventError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : error.name, message: error.message };
  }
  return { code: 'NON_ERROR', message: String(error) };
}

/**
 * A call site's resilience policy: fallback → bulkhead → retry (with budget) → breaker →
 * timeout → call (see {@link composePolicy} for why that order). The layers are fused into one
 * async function rather than nested policies, so a successful call pays for one promise of its
 * own plus one for the timeout, not one per layer; a call refused by an open breaker returns a
 * pre-rejected promise without entering it.
 */
export class Policy {
  readonly name: string;
  readonly bulkhead: Bulkhead | undefined;
  readonly breaker: CircuitBreaker | undefined;
  readonly budget: RetryBudget | undefined;
  readonly timeout: Timeout | undefined;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #maxAttempts: number;
  readonly #retry: RetryConfig | undefined;
  readonly #retryOn: ReadonlySet<string> | undefined;
  readonly #fallback: FallbackConfig | undefined;
  readonly #disposers: readonly Disposer[];
  #calls = 0;
  #successes = 0;
  #failures = 0;
  #retries = 0;
  #timeouts = 0;
  #breakerOpen = 0;
  #bulkheadFull = 0;
  #budgetExhausted = 0;
  #fallbacks = 0;

  constructor(parts: PolicyParts) {
    this.name = parts.name;
    this.bulkhead = parts.bulkhead;
    this.breaker = parts.breaker;
    this.budget = parts.retry ? parts.budget : undefined;
    this.timeout = parts.timeout;
    this.#clock = parts.clock;
    this.#random = parts.random;
    this.#bus = parts.bus;
    this.#retry = parts.retry;
    this.#maxAttempts = parts.retry?.maxAttempts ?? 1;
    this.#retryOn = parts.retry?.retryOn ? new Set(parts.retry.retryOn) : undefined;
    this.#fallback = parts.fallback;
    this.#disposers = parts.disposers ?? [];
  }

  /** The breaker's state; `closed` without a breaker. */
  get state(): BreakerState {
    return this.breaker?.state ?? 'closed';
  }

  /** A snapshot of the counters. */
  stats(): PolicyStats {
    return {
      calls: this.#calls,
      successes: this.#successes,
      failures: this.#failures,
      retries: this.#retries,
      timeouts: this.#timeouts,
      rejected: {
        breakerOpen: this.#breakerOpen,
        bulkheadFull: this.#bulkheadFull,
        budgetExhausted: this.#budgetExhausted,
      },
      fallbacks: this.#fallbacks,
    };
  }

  /** Runs `fn` under the policy. `fn` gets the attempt number and a lazily built signal. */
  execute<T>(fn: PolicyFn<T>, options?: ExecuteOptions<T>): Promise<T> {
    this.#calls++;
    const breaker = this.breaker;
    // Fast fail: no async frame, no allocation; the rejection was built when the breaker opened.
    if (breaker?.blocked && this.#fallback === undefined && options?.fallback === undefined) {
      this.#breakerOpen++;
      this.#failures++;
      this.#emitReject('breaker-open');
      return breaker.rejection;
    }
    return this.#run(fn, options);
  }

  /** Stops the breaker's timer and detaches shared state. In-flight attempts keep their timeout. */
  dispose(): void {
    for (const disposer of this.#disposers) disposer.dispose();
    this.breaker?.dispose();
  }

  // One async function for every layer: each extra async frame would cost a promise per call.
  async #run<T>(fn: PolicyFn<T>, options: ExecuteOptions<T> | undefined): Promise<T> {
    const signal = options?.signal;
    const bulkhead = this.bulkhead;
    let holding = false;
    try {
      if (bulkhead !== undefined) {
        if (!bulkhead.tryEnter()) {
          if (!bulkhead.canQueue()) {
            this.#bulkheadFull++;
            this.#emitReject('bulkhead-full');
            throw new BulkheadFullError(this.name, bulkhead.config.limit, bulkhead.config.queue);
          }
          await bulkhead.wait(signal);
        }
        holding = true;
      }
      const clock = this.#clock;
      const breaker = this.breaker;
      const timeout = this.timeout;
      let now = clock.now();
      this.budget?.recordCall(now);
      let backoff: BackoffSequence | undefined;
      for (let attempt = 1; ; attempt++) {
        if (signal?.aborted) throw signal.reason;
        let ticket = REFUSED;
        if (breaker !== undefined) {
          ticket = breaker.tryAcquire();
          if (ticket === REFUSED) {
            this.#breakerOpen++;
            this.#emitReject('breaker-open');
            throw breaker.error;
          }
        }
        try {
          const value =
            timeout === undefined
              ? await fn(new PlainAttempt(attempt, signal))
              : await timeout.run(fn, signal, attempt, now);
          breaker?.onSuccess(ticket);
          this.#successes++;
          return value;
        } catch (error) {
          if (error instanceof PolicyTimeoutError) this.#timeouts++;
          if (breaker !== undefined) {
            if (signal?.aborted || isPolicyRejection(error)) breaker.onIgnored(ticket);
            else breaker.onFailure(ticket);
          }
          // A breaker this failure opened would only refuse the retry: report the failure itself.
          if (
            attempt >= this.#maxAttempts ||
            signal?.aborted ||
            breaker?.blocked ||
            !this.#retryable(error)
          ) {
            throw error;
          }
          now = clock.now();
          const budget = this.budget;
          if (budget !== undefined && !budget.tryAcquire(now)) {
            this.#budgetExhausted++;
            this.#emitReject('budget-exhausted');
            throw new RetryBudgetExhaustedError(this.name, attempt, budget.config.ratio, error);
          }
          backoff ??= new BackoffSequence((this.#retry as RetryConfig).backoff, this.#random);
          const delayMs = backoff.next(attempt);
          this.#retries++;
          const bus = this.#bus;
          if (bus !== undefined && bus.listenerCount('resilience.retry') > 0) {
            bus.emit('resilience.retry', { policy: this.name, attempt, delayMs, error: toEventError(error) });
          }
          await sleep(clock, delayMs, signal);
          now = clock.now();
        }
      }
    } catch (error) {
      // The slot is freed before the fallback runs: a slow fallback must not hold the bulkhead.
      if (holding) {
        holding = false;
        (bulkhead as Bulkhead).leave();
      }
      return this.#fallbackOrThrow(error, options);
    } finally {
      if (holding) (bulkhead as Bulkhead).leave();
    }
  }

  #retryable(error: unknown): boolean {
    if (isPolicyRejection(error)) return false;
    const retryOn = this.#retryOn;
    if (retryOn === undefined) return true;
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && retryOn.has(code);
  }

  #fallbackOrThrow<T>(error: unknown, options: ExecuteOptions<T> | undefined): T | PromiseLike<T> {
    const config = this.#fallback;
    const fallback = options?.fallback;
    if ((config === undefined && fallback === undefined) || options?.signal?.aborted) {
      this.#failures++;
      throw error;
    }
    const trigger: FallbackTrigger = isPolicyRejection(error)
      ? 'rejected'
      : error instanceof PolicyTimeoutError
        ? 'timeout'
        : 'error';
    if (config !== undefined && !config.on.includes(trigger)) {
      this.#failures++;
      throw error;
    }
    this.#fallbacks++;
    // A configured value is JSON and cannot be checked against T; a per-call fallback is typed.
    return fallback !== undefined ? fallback(error) : (config?.value as T);
  }

  #emitReject(reason: RejectReason): void {
    const bus = this.#bus;
    if (bus !== undefined && bus.listenerCount('resilience.reject') > 0) {
      bus.emit('resilience.reject', { policy: this.name, reason });
    }
  }
}
