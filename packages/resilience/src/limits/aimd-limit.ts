import type { LimitAlgorithm, LimitSample } from './limit-algorithm.js';

/** Settings of {@link AimdLimit}. */
export interface AimdLimitOptions {
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  /** Multiplier applied on a drop, in (0, 1); Netflix's default 0.9. */
  readonly backoffRatio: number;
  /** A success slower than this counts as a drop: the latency threshold, ms. */
  readonly timeoutMs: number;
}

/**
 * Additive increase, multiplicative decrease (Netflix `AIMDLimit`): +1 per success within
 * `timeoutMs`, ×`backoffRatio` per drop or slow success. Simple and latency-agnostic below the
 * threshold, so it suits calls with a known SLO.
 */
export class AimdLimit implements LimitAlgorithm {
  /** Always `aimd`. */
  readonly name = 'aimd';
  #limit: number;
  readonly #options: AimdLimitOptions;

  constructor(options: AimdLimitOptions) {
    this.#options = options;
    this.#limit = clamp(options.initialLimit, options.minLimit, options.maxLimit);
  }

  /** The current limit, a whole number within [minLimit, maxLimit]. */
  get limit(): number {
    return this.#limit;
  }

  /** Applies one sample; see the class description. */
  update(sample: LimitSample): number {
    const { backoffRatio, timeoutMs, minLimit, maxLimit } = this.#options;
    let next = this.#limit;
    if (sample.dropped || sample.rttMs > timeoutMs) {
      next = Math.floor(next * backoffRatio);
    } else if (sample.inflight * 2 >= next) {
      // Only grow while the limit is actually used: a limit raised while the caller sends a
      // trickle would be unproven, and would let a sudden burst through unchecked.
      next += 1;
    }
    this.#limit = clamp(next, minLimit, maxLimit);
    return this.#limit;
  }
}

/** `value` bounded to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
