import { clamp } from './aimd-limit.js';
import { ExpAvg } from './exp-avg.js';
import type { LimitAlgorithm, LimitSample } from './limit-algorithm.js';

/** Headroom added to the limit each update: a constant, or a function of the current limit. */
export type QueueSizeRule = number | 'sqrt' | 'log10';

/** Settings of {@link Gradient2Limit}. */
export interface Gradient2LimitOptions {
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  /** Weight of the new estimate per update, in (0, 1]; Netflix's default 0.2. */
  readonly smoothing: number;
  /** Samples in the long-term RTT average (the no-load baseline); default 600. */
  readonly longWindow: number;
  /** Samples in the short-term RTT average; 1 uses each sample as is. */
  readonly shortWindow: number;
  /** How much slower than the baseline calls may get before the limit shrinks; default 1.5. */
  readonly rttTolerance: number;
  /** Headroom for bursts, so the limit can probe upward; default 4. */
  readonly queueSize: QueueSizeRule;
  /** RTTs below this are raised to it: below the clock's resolution a ratio is noise; default 1. */
  readonly minRttMs: number;
}

// Long-RTT warm-up: the first samples are averaged plainly (Netflix uses 10).
const LONG_WARMUP = 10;
// A gradient below this would halve the limit on one outlier; Netflix clamps at 0.5 too.
const MIN_GRADIENT = 0.5;

/**
 * Netflix `Gradient2Limit`: compares a long-term RTT average (the baseline) with the short-term
 * RTT. `gradient = clamp(rttTolerance × long / short, 0.5, 1)`; the new limit is
 * `limit × gradient + queueSize(limit)`, smoothed and bounded by [minLimit, maxLimit]. When calls
 * queue downstream their RTT rises above the baseline and the limit shrinks; otherwise the
 * `queueSize` headroom lets it grow.
 *
 * Two deviations from Netflix, both on purpose: a dropped call (timeout, overload) applies the
 * minimum gradient (without the headroom) whatever its RTT, because a fast "overloaded" answer is still overload; and a
 * drop's RTT is kept out of the baseline so fast failures cannot drag it down.
 */
export class Gradient2Limit implements LimitAlgorithm {
  /** Always `gradient2`. */
  readonly name = 'gradient2';
  #estimate: number;
  readonly #options: Gradient2LimitOptions;
  readonly #long: ExpAvg;
  readonly #short: ExpAvg;

  constructor(options: Gradient2LimitOptions) {
    this.#options = options;
    this.#estimate = clamp(options.initialLimit, options.minLimit, options.maxLimit);
    this.#long = new ExpAvg(options.longWindow, LONG_WARMUP);
    this.#short = new ExpAvg(options.shortWindow, 1);
  }

  /** The current estimate (a real number within [minLimit, maxLimit]). */
  get limit(): number {
    return this.#estimate;
  }

  /** The long-term RTT average, ms (0 before the first sample). */
  get longRttMs(): number {
    return this.#long.value;
  }

  /** The short-term RTT average, ms (0 before the first sample). */
  get shortRttMs(): number {
    return this.#short.value;
  }

  /** Applies one sample; see the class description. */
  update(sample: LimitSample): number {
    const { smoothing, rttTolerance, minLimit, maxLimit } = this.#options;
    const limit = this.#estimate;
    let target: number;
    if (sample.dropped) {
      // No headroom on a drop: with a small limit, queueSize would otherwise outweigh the cut.
      target = limit * MIN_GRADIENT;
    } else {
      const rtt = Math.max(sample.rttMs, this.#options.minRttMs);
      const short = this.#short.add(rtt);
      const long = this.#long.add(rtt);
      // After a long overload the baseline is inflated; decay it quickly once latency is back
      // to normal instead of waiting hundreds of samples for the average to catch up.
      if (long / short > 2) this.#long.scale(0.95);
      // Application-limited: too few calls to say anything about the downstream's capacity.
      if (sample.inflight < limit / 2) return limit;
      const gradient = clamp((rttTolerance * long) / short, MIN_GRADIENT, 1);
      target = limit * gradient + queueSize(this.#options.queueSize, limit);
    }
    this.#estimate = clamp(limit * (1 - smoothing) + target * smoothing, minLimit, maxLimit);
    return this.#estimate;
  }
}

function queueSize(rule: QueueSizeRule, limit: number): number {
  if (rule === 'sqrt') return Math.max(1, Math.sqrt(limit));
  if (rule === 'log10') return Math.max(1, Math.log10(limit));
  return rule;
}
