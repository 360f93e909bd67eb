import { type Clock, systemClock } from '@trellis/core';
import type { z } from 'zod';
import { Ewma } from './ewma.js';
import {
  type LatencyTrendConfig,
  LatencyTrendConfigSchema,
  parsePredictionConfig,
} from './prediction-config.js';
import { leastSquares, SlidingWindow, valueAt } from './trend.js';

/** What {@link LatencyTrend.assess} concludes. */
export interface LatencyAssessment {
  readonly flagged: boolean;
  readonly reason: string;
  /** Fast EWMA of latency, ms. */
  readonly currentMs: number;
  /** Slow EWMA, frozen while degraded, ms. */
  readonly baselineMs: number;
  /** current ÷ baseline. */
  readonly ratio: number;
  /** Trend of the fast EWMA, ms per minute. */
  readonly slopeMsPerMin: number;
  readonly r2: number;
  /** When the trend crosses `limitMs`, ms from now (0 if above it); 0 without a limit; Infinity if never. */
  readonly inMs: number;
}

const MINUTE = 60_000;

/**
 * Latency degradation of one plugin: the current latency (a fast EWMA) against its own baseline (a
 * slow EWMA), and whether it is still rising (a least-squares trend over the fast EWMA). The
 * baseline only learns while latency is normal, so a slow degradation does not become the new normal.
 */
export class LatencyTrend {
  /** The parsed config, defaults applied. */
  readonly config: LatencyTrendConfig;
  readonly #clock: Clock;
  readonly #fast: Ewma;
  readonly #baseline: Ewma;
  readonly #trend: SlidingWindow;
  #samples = 0;
  #lastTrendAt: number | undefined;

  constructor(config: z.input<typeof LatencyTrendConfigSchema> = {}, clock: Clock = systemClock) {
    this.config = parsePredictionConfig(LatencyTrendConfigSchema, config, 'latency trend');
    this.#clock = clock;
    this.#fast = new Ewma({ halfLifeMs: this.config.fastHalfLifeMs, clock });
    this.#baseline = new Ewma({ halfLifeMs: this.config.baselineHalfLifeMs, clock });
    this.#trend = new SlidingWindow({ maxAgeMs: this.config.trendWindowMs });
  }

  /** Adds one call's latency. */
  record(latencyMs: number, at: number = this.#clock.now()): void {
    const current = this.#fast.update(latencyMs, at);
    const baseline = this.#baseline.value;
    this.#samples += 1;
    if (
      baseline === undefined ||
      this.#samples <= this.config.minSamples ||
      current < baseline * this.config.ratio
    ) {
      this.#baseline.update(latencyMs, at);
    }
    if (this.#lastTrendAt === undefined || at - this.#lastTrendAt >= this.config.trendSampleMs) {
      this.#lastTrendAt = at;
      this.#trend.push({ t: at, v: current });
    }
  }

  /** Judges the latency as of `now`. */
  assess(now: number = this.#clock.now()): LatencyAssessment {
    this.#trend.prune(now);
    const currentMs = this.#fast.value ?? 0;
    const baselineMs = this.#baseline.value ?? 0;
    const ratio = baselineMs > 0 ? currentMs / baselineMs : 0;
    const fit = this.#trend.size >= 3 ? leastSquares(this.#trend.points()) : undefined;
    const slopeMsPerMin = (fit?.slope ?? 0) * MINUTE;
    const r2 = fit?.r2 ?? 0;
    const result = { currentMs, baselineMs, ratio, slopeMsPerMin, r2 };
    const no = (reason: string): LatencyAssessment => ({
      ...result,
      flagged: false,
      reason,
      inMs: Number.POSITIVE_INFINITY,
    });
    if (this.#samples < this.config.minSamples)
      return no(`baseline not established (${this.#samples} calls)`);
    if (ratio < this.config.ratio) return no(`latency ${ratio.toFixed(2)}× baseline`);
    const rise = (fit?.slope ?? 0) * this.config.trendWindowMs;
    if (!fit || rise < this.config.minRise * currentMs || r2 < this.config.minR2) {
      return no('latency is high but not rising');
    }
    const { limitMs } = this.config;
    if (limitMs === undefined) {
      return {
        ...result,
        flagged: true,
        inMs: 0,
        reason: `latency ${ratio.toFixed(1)}× baseline and rising`,
      };
    }
    const projected = valueAt(fit, now);
    const inMs = projected >= limitMs ? 0 : (limitMs - projected) / fit.slope;
    const flagged = inMs <= this.config.horizonMs;
    return {
      ...result,
      flagged,
      inMs,
      reason: flagged
        ? `latency reaches ${limitMs} ms in ~${Math.round(inMs / 1000)} s`
        : `latency rising, but reaches ${limitMs} ms beyond the horizon`,
    };
  }

  /** Forgets everything, baseline included. */
  reset(): void {
    this.#fast.reset();
    this.#baseline.reset();
    this.#trend.clear();
    this.#samples = 0;
    this.#lastTrendAt = undefined;
  }
}
