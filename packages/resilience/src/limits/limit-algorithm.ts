/** One completed call, as a limit algorithm sees it. */
export interface LimitSample {
  /** Round-trip time of the call, ms, measured by the limiter's clock. */
  readonly rttMs: number;
  /** Calls in flight when this one was admitted, itself included. */
  readonly inflight: number;
  /** The call was dropped (timeout, overload, rejected downstream): a congestion signal. */
  readonly dropped: boolean;
}

/**
 * Decides a concurrency limit from call samples, as in Netflix concurrency-limits. Implementations
 * keep their estimate as a real number and report it through {@link LimitAlgorithm.limit}; the
 * limiter floors it to whole permits.
 */
export interface LimitAlgorithm {
  /** The algorithm's name, shown in stats. */
  readonly name: string;
  /** The current estimate, always within the algorithm's [minLimit, maxLimit]. */
  readonly limit: number;
  /** Folds one sample into the estimate and returns the new {@link LimitAlgorithm.limit}. */
  update(sample: LimitSample): number;
}
