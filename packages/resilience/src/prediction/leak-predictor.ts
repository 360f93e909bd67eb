import type { z } from 'zod';
import {
  type LeakPredictorConfig,
  LeakPredictorConfigSchema,
  parsePredictionConfig,
} from './prediction-config.js';
import { PredictionSampleInvalidError } from './prediction-errors.js';
import { SlidingWindow, type TrendFit, type TrendPoint, theilSen, valueAt } from './trend.js';

/** One heap measurement of a plugin (for an isolated plugin, its worker's or process's heap). */
export interface HeapSample {
  /** Epoch ms. */
  readonly at: number;
  /** `heapUsed`, bytes. */
  readonly heapUsedBytes: number;
  /** The heap limit, bytes (e.g. the worker's `resourceLimits`, or `heap_size_limit`). */
  readonly heapLimitBytes: number;
}

/** What a {@link LeakPredictor} concludes, with the evidence. */
export interface LeakAssessment {
  /** Exhaustion projected within the horizon. */
  readonly flagged: boolean;
  /** A significant, sustained growth of the post-GC heap (flagged or not). */
  readonly leaking: boolean;
  /** Why it is, or is not, flagged. */
  readonly reason: string;
  /**
   * Growth of the post-GC heap used for the projection, bytes per minute: the faster of the
   * window's and the recent half's Theil–Sen slopes.
   */
  readonly slopeBytesPerMin: number;
  /** Theil–Sen slope over the whole window, bytes per minute. */
  readonly windowSlopeBytesPerMin: number;
  readonly r2: number;
  /** Kendall τ of the post-GC heap against time. */
  readonly tau: number;
  /** Post-GC heap now, on the fitted line, bytes. */
  readonly currentBytes: number;
  readonly limitBytes: number;
  /** Projected time until the post-GC heap reaches the limit, ms; Infinity when not leaking. */
  readonly exhaustionInMs: number;
  /** Bucket minima the fit used. */
  readonly points: number;
  /** Time the minima span, ms. */
  readonly spanMs: number;
}

const MINUTE = 60_000;

/**
 * Predicts heap exhaustion of one plugin from its heap samples.
 *
 * The heap of a healthy process is a sawtooth: garbage piles up, a GC drops it. Only the post-GC
 * floor is live data, so the window is cut into `bucketMs` buckets and each bucket's minimum stands
 * for the floor. A robust line (Theil–Sen) through the minima gives the leak rate; it counts only
 * when the growth is monotonic (Kendall τ), the line fits (R²), there is enough of it (points,
 * span), and it has not flattened recently (a cache warming up then plateauing). Time to exhaustion
 * is then (limit − floor now) ÷ slope, from the recent half's line at the faster of the two slopes
 * (so an accelerating leak is judged by its current pace); it is flagged within `horizonMs`.
 */
export class LeakPredictor {
  /** The parsed config, defaults applied. */
  readonly config: LeakPredictorConfig;
  readonly #window: SlidingWindow;
  readonly #plugin: string;
  #limit = 0;

  constructor(config: z.input<typeof LeakPredictorConfigSchema> = {}, plugin = 'plugin') {
    this.config = parsePredictionConfig(LeakPredictorConfigSchema, config, 'leak predictor');
    this.#plugin = plugin;
    this.#window = new SlidingWindow({ maxAgeMs: this.config.windowMs, maxPoints: this.config.maxSamples });
  }

  /** Adds a sample; throws {@link PredictionSampleInvalidError} for impossible values. */
  sample(sample: HeapSample): void {
    if (!Number.isFinite(sample.heapUsedBytes) || sample.heapUsedBytes < 0) {
      throw new PredictionSampleInvalidError(this.#plugin, 'heapUsedBytes', sample.heapUsedBytes);
    }
    if (!Number.isFinite(sample.heapLimitBytes) || sample.heapLimitBytes <= 0) {
      throw new PredictionSampleInvalidError(this.#plugin, 'heapLimitBytes', sample.heapLimitBytes);
    }
    this.#limit = sample.heapLimitBytes;
    this.#window.push({ t: sample.at, v: sample.heapUsedBytes });
  }

  /** Samples held. */
  get size(): number {
    return this.#window.size;
  }

  /** Forgets every sample: after a recycle, the old process's heap says nothing about the new one. */
  reset(): void {
    this.#window.clear();
  }

  /** Judges the samples as of `now` (default the latest sample's time). */
  assess(now?: number): LeakAssessment {
    const points = this.#window.points();
    const at = now ?? points.at(-1)?.t ?? 0;
    this.#window.prune(at);
    const floor = this.#floor(this.#window.points(), at);
    const base = { points: floor.length, limitBytes: this.#limit };
    const spanMs = floor.length > 1 ? (floor.at(-1) as TrendPoint).t - (floor[0] as TrendPoint).t : 0;
    if (floor.length < this.config.minPoints || spanMs < this.config.minSpanMs) {
      return none(
        base,
        spanMs,
        `not enough data: ${floor.length} minima over ${Math.round(spanMs / 1000)} s`,
      );
    }
    // Defined: the minima span at least minSpanMs, so there are two distinct times.
    const fit = theilSen(floor) as TrendFit;
    const evidence = {
      ...base,
      spanMs,
      slopeBytesPerMin: fit.slope * MINUTE,
      windowSlopeBytesPerMin: fit.slope * MINUTE,
      r2: fit.r2,
      tau: fit.tau ?? 0,
      currentBytes: valueAt(fit, at),
    };
    const notLeaking = (reason: string): LeakAssessment => ({
      ...evidence,
      flagged: false,
      leaking: false,
      reason,
      exhaustionInMs: Number.POSITIVE_INFINITY,
    });
    if (fit.slope <= 0) return notLeaking('post-GC heap is not growing');
    if (evidence.tau < this.config.minTau)
      return notLeaking(`growth is not monotonic (τ ${evidence.tau.toFixed(2)})`);
    if (fit.r2 < this.config.minR2)
      return notLeaking(`growth is not linear enough (R² ${fit.r2.toFixed(2)})`);
    const middle = (floor[0] as TrendPoint).t + spanMs / 2;
    const recent = theilSen(floor.filter((p) => p.t >= middle));
    if (!recent || recent.slope < this.config.recentSlopeRatio * fit.slope) {
      return notLeaking('growth has levelled off (recent half grows much slower)');
    }
    // Project from the recent half (closest to now), at the faster of the two rates: a leak that
    // speeds up is judged by its current pace, and one that slowed was already refused above.
    const slope = Math.max(fit.slope, recent.slope);
    const currentBytes = valueAt(recent, at);
    const remaining = this.#limit - currentBytes;
    const exhaustionInMs = remaining <= 0 ? 0 : remaining / slope;
    const flagged = exhaustionInMs <= this.config.horizonMs;
    const minutes = Math.round(exhaustionInMs / MINUTE);
    return {
      ...evidence,
      currentBytes,
      slopeBytesPerMin: slope * MINUTE,
      windowSlopeBytesPerMin: fit.slope * MINUTE,
      flagged,
      leaking: true,
      exhaustionInMs,
      reason: flagged
        ? `heap limit reached in ~${minutes} min at ${formatMb(evidence.slopeBytesPerMin)}/min`
        : `leaking ${formatMb(evidence.slopeBytesPerMin)}/min, limit in ~${minutes} min: beyond the horizon`,
    };
  }

  /** The minimum of each `bucketMs` bucket (aligned on `now`), oldest first. */
  #floor(points: readonly TrendPoint[], now: number): TrendPoint[] {
    const minima = new Map<number, TrendPoint>();
    for (const point of points) {
      if (point.t > now) continue;
      const bucket = Math.floor((now - point.t) / this.config.bucketMs);
      const held = minima.get(bucket);
      if (!held || point.v < held.v) minima.set(bucket, point);
    }
    return [...minima.values()].sort((a, b) => a.t - b.t);
  }
}

function none(base: { points: number; limitBytes: number }, spanMs: number, reason: string): LeakAssessment {
  return {
    ...base,
    spanMs,
    flagged: false,
    leaking: false,
    reason,
    slopeBytesPerMin: 0,
    windowSlopeBytesPerMin: 0,
    r2: 0,
    tau: 0,
    currentBytes: 0,
    exhaustionInMs: Number.POSITIVE_INFINITY,
  };
}

function formatMb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(2)} MB`;
}
