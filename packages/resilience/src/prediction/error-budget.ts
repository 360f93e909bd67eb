import { type Clock, systemClock } from '@trellis/core';
import type { z } from 'zod';
import {
  type BurnWindow,
  type ErrorBudgetConfig,
  ErrorBudgetConfigSchema,
  parsePredictionConfig,
} from './prediction-config.js';

/** The burn of one multi-window alert. */
export interface WindowBurn {
  readonly window: BurnWindow;
  /** Error rate ÷ (1 − SLO) over the long window. */
  readonly longBurn: number;
  /** The same over the short window. */
  readonly shortBurn: number;
  /** Calls counted in the long window. */
  readonly events: number;
  /** Both windows burn at least `window.burnRate`, with enough calls. */
  readonly firing: boolean;
}

/** What {@link ErrorBudget.assess} concludes. */
export interface ErrorBudgetAssessment {
  /** Some window fires. */
  readonly flagged: boolean;
  /** The first firing window, else the one closest to firing. */
  readonly worst: WindowBurn;
  readonly windows: readonly WindowBurn[];
  /**
   * Time to burn a whole period's budget at the firing window's long burn rate, ms:
   * `periodMs ÷ burn` (budget already spent is not tracked). Infinity when nothing burns.
   */
  readonly exhaustionInMs: number;
}

interface Bucket {
  total: number;
  errors: number;
}

/**
 * An SLO's error budget with Google SRE's multi-window, multi-burn-rate alerts: a window fires when
 * both its long and its short window burn faster than its rate — the long one proves it matters,
 * the short one that it is still happening (so the alert clears soon after the errors stop).
 * Calls are counted in `bucketMs` buckets, so memory is bounded by the longest window.
 */
export class ErrorBudget {
  /** The parsed config, defaults applied. */
  readonly config: ErrorBudgetConfig;
  readonly #clock: Clock;
  readonly #buckets = new Map<number, Bucket>();
  readonly #longestMs: number;

  constructor(config: z.input<typeof ErrorBudgetConfigSchema> = {}, clock: Clock = systemClock) {
    this.config = parsePredictionConfig(ErrorBudgetConfigSchema, config, 'error budget');
    this.#clock = clock;
    this.#longestMs = Math.max(...this.config.windows.map((w) => w.longMs));
  }

  /** Counts one call. */
  record(ok: boolean, at: number = this.#clock.now()): void {
    const key = Math.floor(at / this.config.bucketMs);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { total: 0, errors: 0 };
      this.#buckets.set(key, bucket);
      this.#prune(at);
    }
    bucket.total += 1;
    if (!ok) bucket.errors += 1;
  }

  /** Error rate ÷ (1 − SLO) over the last `windowMs` (0 with no calls), and the calls counted. */
  burnRate(
    windowMs: number,
    now: number = this.#clock.now(),
  ): { readonly burn: number; readonly events: number } {
    // Buckets that start within the window, and the current one: the window is exact to a bucket.
    const from = Math.ceil((now - windowMs) / this.config.bucketMs);
    const to = Math.floor(now / this.config.bucketMs);
    let total = 0;
    let errors = 0;
    // Buckets are few (the longest window over bucketMs), so a scan is cheaper than an index.
    for (const [key, bucket] of this.#buckets) {
      if (key < from || key > to) continue;
      total += bucket.total;
      errors += bucket.errors;
    }
    return { burn: total === 0 ? 0 : errors / total / (1 - this.config.slo), events: total };
  }

  /** Evaluates every window as of `now`. */
  assess(now: number = this.#clock.now()): ErrorBudgetAssessment {
    const windows = this.config.windows.map((window): WindowBurn => {
      const long = this.burnRate(window.longMs, now);
      const short = this.burnRate(window.shortMs, now);
      return {
        window,
        longBurn: long.burn,
        shortBurn: short.burn,
        events: long.events,
        firing:
          long.events >= this.config.minEvents &&
          long.burn >= window.burnRate &&
          short.burn >= window.burnRate,
      };
    });
    const firing = windows.find((w) => w.firing);
    const worst =
      firing ??
      windows.reduce((a, b) =>
        Math.min(b.longBurn, b.shortBurn) / b.window.burnRate >
        Math.min(a.longBurn, a.shortBurn) / a.window.burnRate
          ? b
          : a,
      );
    return {
      flagged: firing !== undefined,
      worst,
      windows,
      exhaustionInMs: worst.longBurn > 0 ? this.config.periodMs / worst.longBurn : Number.POSITIVE_INFINITY,
    };
  }

  /** Forgets every call. */
  reset(): void {
    this.#buckets.clear();
  }

  #prune(now: number): void {
    const oldest = Math.floor((now - this.#longestMs) / this.config.bucketMs);
    for (const key of this.#buckets.keys()) if (key < oldest) this.#buckets.delete(key);
  }
}
