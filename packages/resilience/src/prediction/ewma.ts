import { type Clock, systemClock } from '@trellis/core';

/** Options of {@link Ewma}. */
export interface EwmaOptions {
  /** Time for a sample's weight to halve, ms. */
  readonly halfLifeMs: number;
  /** Default the system clock; used when `update` is given no time. */
  readonly clock?: Clock;
}

/**
 * A time-aware exponentially weighted moving average: a sample's weight halves every `halfLifeMs`
 * of clock time, however many samples arrive. Unlike a per-sample `α`, a burst of samples does not
 * wash out the past and a quiet period does not freeze it; samples at the same instant weigh the
 * same (a plain average), so it also serves as a decaying rate (feed 1 for an error, 0 otherwise).
 *
 * Kept as decayed sums Σw·x, Σw·x², Σw so the mean and variance are exact for the weights.
 */
export class Ewma {
  readonly #halfLifeMs: number;
  readonly #clock: Clock;
  #sum = 0;
  #squares = 0;
  #weight = 0;
  #lastAt: number | undefined;

  constructor(options: EwmaOptions) {
    this.#halfLifeMs = options.halfLifeMs;
    this.#clock = options.clock ?? systemClock;
  }

  /** Adds `value` observed at `at` (default now) and returns the new mean. */
  update(value: number, at: number = this.#clock.now()): number {
    this.#decayTo(at);
    this.#sum += value;
    this.#squares += value * value;
    this.#weight += 1;
    return this.#sum / this.#weight;
  }

  /** The weighted mean; `undefined` before the first sample. */
  get value(): number | undefined {
    return this.#weight > 0 ? this.#sum / this.#weight : undefined;
  }

  /** The weighted variance (0 before two samples). */
  get variance(): number {
    if (this.#weight <= 0) return 0;
    const mean = this.#sum / this.#weight;
    return Math.max(0, this.#squares / this.#weight - mean * mean);
  }

  /** The samples' decayed weight as of the last update: roughly how many recent samples back the mean. */
  get weight(): number {
    return this.#weight;
  }

  /** Forgets every sample. */
  reset(): void {
    this.#sum = 0;
    this.#squares = 0;
    this.#weight = 0;
    this.#lastAt = undefined;
  }

  #decayTo(at: number): void {
    // A sample from the past (clock skew, out-of-order delivery) is treated as simultaneous.
    if (this.#lastAt !== undefined && at > this.#lastAt) {
      const factor = 2 ** (-(at - this.#lastAt) / this.#halfLifeMs);
      this.#sum *= factor;
      this.#squares *= factor;
      this.#weight *= factor;
    }
    if (this.#lastAt === undefined || at > this.#lastAt) this.#lastAt = at;
  }
}
