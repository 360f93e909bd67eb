import type { Clock } from '@trellis/core';
import type { RetryBudgetConfig } from './policy-schema.js';
import { SlidingWindow } from './sliding-window.js';

/**
 * The retries a budget allows over its window: `ratio` per call made, plus a floor of
 * `minRetriesPerSecond` for the whole window so a quiet service can still retry.
 */
export function retryAllowance(calls: number, config: RetryBudgetConfig): number {
  return calls * config.ratio + (config.minRetriesPerSecond * config.windowMs) / 1_000;
}

/** True when one more retry fits: the retries so far plus this one stay within the allowance. */
export function retryBudgetAllows(calls: number, retries: number, config: RetryBudgetConfig): boolean {
  return retries + 1 <= retryAllowance(calls, config);
}

/**
 * Caps retries at a share of recent calls (default 20% over 10 s). Without it, every caller
 * retrying a failing dependency multiplies its load by `maxAttempts` exactly when it can least
 * take it; with it, an outage costs at most `1 + ratio` times the normal load. One budget is
 * shared by every call of a policy, and may be shared between policies hitting one dependency.
 */
export class RetryBudget {
  readonly config: RetryBudgetConfig;
  readonly #clock: Clock;
  // first = calls, second = retries.
  readonly #window: SlidingWindow;

  constructor(config: RetryBudgetConfig, clock: Clock) {
    this.config = config;
    this.#clock = clock;
    this.#window = new SlidingWindow(config.windowMs);
  }

  /** Counts a call (its first attempt); `now` saves a clock read when the caller has one. */
  recordCall(now: number = this.#clock.now()): void {
    this.#window.add(now, 1, 0);
  }

  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryAcquire(now: number = this.#clock.now()): boolean {
    if (!retryBudgetAllows(this.#window.first(now), this.#window.second(now), this.config)) return false;
    this.#window.add(now, 0, 1);
    return true;
  }

  /** Calls, retries and retries still allowed over the current window. */
  snapshot(now: number = this.#clock.now()): { calls: number; retries: number; available: number } {
    const calls = this.#window.first(now);
    const retries = this.#window.second(now);
    return {
      calls,
      retries,
      available: Math.max(0, Math.floor(retryAllowance(calls, this.config) - retries)),
    };
  }
}
