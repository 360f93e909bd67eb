import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay percentiles since the last reset, in ms. */
export interface EventLoopDelayStats {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Number of samples; 0 means no figures yet (every other field is 0 then). */
  readonly samples: number;
}

const NS_PER_MS = 1e6;

/**
 * Node's `monitorEventLoopDelay` as plain figures: the everyday counterpart of the watchdog,
 * showing the small stalls (p99) that never reach its threshold.
 */
export class EventLoopDelayMonitor {
  readonly #histogram: ReturnType<typeof monitorEventLoopDelay>;

  constructor(resolutionMs: number) {
    this.#histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  /** Starts sampling. */
  enable(): void {
    this.#histogram.enable();
  }

  /** Stops sampling; the figures stay readable. */
  disable(): void {
    this.#histogram.disable();
  }

  /** Clears the figures. */
  reset(): void {
    this.#histogram.reset();
  }

  /** The figures since the last reset. */
  stats(): EventLoopDelayStats {
    const h = this.#histogram;
    // An empty histogram reports min as 2^63 and mean as NaN: no figures rather than nonsense.
    if (h.count === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0, samples: 0 };
    const ms = (ns: number) => Math.round((ns / NS_PER_MS) * 100) / 100;
    return {
      p50Ms: ms(h.percentile(50)),
      p90Ms: ms(h.percentile(90)),
      p99Ms: ms(h.percentile(99)),
      maxMs: ms(h.max),
      meanMs: ms(h.mean),
      samples: h.count,
    };
  }
}
