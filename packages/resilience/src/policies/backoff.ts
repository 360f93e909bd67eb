import type { BackoffConfig } from './policy-schema.js';

/** A source of uniform numbers in [0, 1), like `Math.random`; injected so tests are exact. */
export type RandomSource = () => number;

/** The delay before retry `attempt` without jitter: `initialMs × multiplier^(attempt − 1)`, capped. */
export function exponentialDelay(
  attempt: number,
  config: Pick<BackoffConfig, 'initialMs' | 'maxMs' | 'multiplier'>,
): number {
  // Math.min also absorbs the Infinity a large exponent produces.
  return Math.min(config.maxMs, config.initialMs * config.multiplier ** Math.max(0, attempt - 1));
}

/**
 * The delay, in whole ms, after failed attempt `attempt` (1-based). Pure: the randomness comes
 * from `random`, and `previousMs` (the last delay) feeds decorrelated jitter.
 *
 * Bounds, for every input: `none` gives the exponential delay; `full` gives [0, exponential
 * delay]; `decorrelated` gives [initialMs, maxMs].
 */
export function backoffDelay(
  attempt: number,
  config: BackoffConfig,
  random: RandomSource = Math.random,
  previousMs: number = config.initialMs,
): number {
  switch (config.jitter) {
    case 'none':
      return Math.round(exponentialDelay(attempt, config));
    case 'full': {
      const cap = Math.floor(exponentialDelay(attempt, config));
      // floor(r × (cap + 1)) is uniform over the integers 0..cap; min() guards a random() of 1.
      return Math.min(cap, Math.floor(random() * (cap + 1)));
    }
    case 'decorrelated': {
      const low = config.initialMs;
      const high = Math.max(low, Math.min(config.maxMs, previousMs * 3));
      return Math.min(high, low + Math.floor(random() * (high - low + 1)));
    }
  }
}

/**
 * The delays of one call's retries in order. Decorrelated jitter needs the previous delay, so a
 * call keeps one of these rather than calling {@link backoffDelay} directly.
 */
export class BackoffSequence {
  readonly #config: BackoffConfig;
  readonly #random: RandomSource;
  #previous: number;

  constructor(config: BackoffConfig, random: RandomSource = Math.random) {
    this.#config = config;
    this.#random = random;
    this.#previous = config.initialMs;
  }

  /** The delay after failed attempt `attempt`. */
  next(attempt: number): number {
    this.#previous = backoffDelay(attempt, this.#config, this.#random, this.#previous);
    return this.#previous;
  }
}
