import { z } from 'zod';
import { parseWithSchema } from '../shared/parse-schema.js';
import { PredictionConfigInvalidError } from './prediction-errors.js';

const millis = z.number().int().positive().max(2_147_483_647);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Memory-leak prediction from heap samples. Defaults: flag exhaustion within 1 h, judged on the
 * last 30 min, from per-minute heap minima (the post-GC floor, so the GC sawtooth is not a trend).
 */
export const LeakPredictorConfigSchema = z
  .object({
    /** Flag when exhaustion is projected within this, ms; default 3,600,000 (1 h). */
    horizonMs: millis.default(HOUR),
    /** Samples considered, ms back from now; default 1,800,000 (30 min). */
    windowMs: millis.default(30 * MINUTE),
    /** Width of the buckets whose minimum stands for the post-GC heap, ms; default 60,000. */
    bucketMs: millis.default(MINUTE),
    /** Bucket minima needed before any verdict; default 10. */
    minPoints: z.number().int().min(3).default(10),
    /** Time the minima must span before any verdict, ms; default 600,000 (10 min). */
    minSpanMs: millis.default(10 * MINUTE),
    /** Least R² of the fitted line; default 0.5 (a GC sawtooth leaves scatter around a real leak). */
    minR2: z.number().min(0).max(1).default(0.5),
    /** Least Kendall τ (monotonic growth) of the minima; default 0.5. */
    minTau: z.number().min(0).max(1).default(0.5),
    /**
     * The recent half's slope must be at least this share of the whole window's; default 0.5.
     * A cache warming up then plateauing has grown, but is not growing any more.
     */
    recentSlopeRatio: z.number().min(0).max(10).default(0.5),
    /** Samples kept per plugin at most; default 2,000. */
    maxSamples: z.number().int().positive().default(2_000),
  })
  .strict();

/** Leak-predictor settings with defaults applied; see {@link LeakPredictorConfigSchema}. */
export type LeakPredictorConfig = z.infer<typeof LeakPredictorConfigSchema>;

/** One multi-window burn-rate alert (Google SRE workbook): both windows must burn faster than `burnRate`. */
export const BurnWindowSchema = z
  .object({
    longMs: millis,
    shortMs: millis,
    /** Multiple of the sustainable error rate, e.g. 14.4 = 2% of a 30-day budget in 1 h. */
    burnRate: z.number().positive(),
  })
  .strict()
  .refine((w) => w.shortMs < w.longMs, { message: 'shortMs must be less than longMs', path: ['shortMs'] });

/** A burn-rate window; see {@link BurnWindowSchema}. */
export type BurnWindow = z.infer<typeof BurnWindowSchema>;

/**
 * Error-budget burn. Defaults: 99.9% SLO over 30 days; alert when the last hour and last 5 min
 * both burn ≥ 14.4× (2% of the budget in an hour), or the last 6 h and 30 min both burn ≥ 6×.
 */
export const ErrorBudgetConfigSchema = z
  .object({
    /** Target success ratio, e.g. 0.999; default 0.999. */
    slo: z.number().gt(0).lt(1).default(0.999),
    /** The SLO period, ms; default 30 days. */
    periodMs: z
      .number()
      .int()
      .positive()
      .default(30 * 24 * HOUR),
    /** Default `[{1 h, 5 min, 14.4}, {6 h, 30 min, 6}]`. */
    windows: z
      .array(BurnWindowSchema)
      .min(1)
      .default([
        { longMs: HOUR, shortMs: 5 * MINUTE, burnRate: 14.4 },
        { longMs: 6 * HOUR, shortMs: 30 * MINUTE, burnRate: 6 },
      ]),
    /** Counting granularity, ms; default 30,000. */
    bucketMs: millis.default(30_000),
    /** Calls the long window needs before it may alert (3 errors in 5 calls is not a trend); default 50. */
    minEvents: z.number().int().nonnegative().default(50),
  })
  .strict();

/** Error-budget settings with defaults applied; see {@link ErrorBudgetConfigSchema}. */
export type ErrorBudgetConfig = z.infer<typeof ErrorBudgetConfigSchema>;

/**
 * Latency degradation: a fast EWMA against a slow baseline, plus the fast EWMA's trend. Defaults:
 * 30 s vs 30 min half-lives, flag at 2× baseline while rising over the last 5 min.
 */
export const LatencyTrendConfigSchema = z
  .object({
    /** Half-life of the current latency, ms; default 30,000. */
    fastHalfLifeMs: millis.default(30_000),
    /** Half-life of the baseline, ms; default 1,800,000. Frozen while degraded, so it does not follow. */
    baselineHalfLifeMs: millis.default(30 * MINUTE),
    /** Current ÷ baseline that counts as degraded; default 2. */
    ratio: z.number().gt(1).default(2),
    /** Calls before the baseline is trusted; default 100. */
    minSamples: z.number().int().positive().default(100),
    /** The trend looks at the fast EWMA over this, ms; default 300,000. */
    trendWindowMs: millis.default(5 * MINUTE),
    /** The fast EWMA is sampled for the trend this often, ms; default 10,000. */
    trendSampleMs: millis.default(10_000),
    /** Least R² for "rising"; default 0.6. */
    minR2: z.number().min(0).max(1).default(0.6),
    /**
     * Least rise over `trendWindowMs`, as a share of the current latency, for "rising"; default 0.1.
     * An EWMA settling on a new level creeps up forever by tiny, perfectly linear amounts.
     */
    minRise: z.number().min(0).default(0.1),
    /**
     * A latency that fails calls (the caller's timeout), ms. When set, only flag when the trend
     * crosses it within `horizonMs` (or has crossed it); default none.
     */
    limitMs: z.number().positive().optional(),
    /** Horizon for `limitMs`, ms; default 600,000 (10 min). */
    horizonMs: millis.default(10 * MINUTE),
  })
  .strict();

/** Latency-trend settings with defaults applied; see {@link LatencyTrendConfigSchema}. */
export type LatencyTrendConfig = z.infer<typeof LatencyTrendConfigSchema>;

/** What to do about a prediction. */
export const PredictionActionSchema = z.enum(['shed-load', 'open-breaker', 'recycle', 'none']);

/** A prediction action; see {@link PredictionActionSchema}. */
export type PredictionAction = z.infer<typeof PredictionActionSchema>;

/**
 * Options of the {@link FailurePredictor}. Defaults: evaluate each plugin at most every 10 s; one
 * prediction per trend (re-armed after the condition has been clear for 5 min, and never more than
 * one per 10 min); memory exhaustion recycles the worker, a burning error budget opens the
 * breaker, rising latency sheds load.
 */
export const PredictionConfigSchema = z
  .object({
    /** Least time between two evaluations of one plugin, ms; default 10,000. */
    evaluateEveryMs: millis.default(10_000),
    /** Time a condition must stay clear before the same kind may be raised again, ms; default 300,000. */
    clearAfterMs: millis.default(5 * MINUTE),
    /** Least time between two predictions of one kind for one plugin, ms; default 600,000. */
    cooldownMs: millis.default(10 * MINUTE),
    leak: LeakPredictorConfigSchema.prefault({}),
    errorBudget: ErrorBudgetConfigSchema.prefault({}),
    latency: LatencyTrendConfigSchema.prefault({}),
    /** Action per prediction kind. */
    actions: z
      .object({
        'memory-exhaustion': PredictionActionSchema.default('recycle'),
        'error-budget': PredictionActionSchema.default('open-breaker'),
        latency: PredictionActionSchema.default('shed-load'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** {@link PredictionConfigSchema}'s input: every field optional. */
export type PredictionConfigInput = z.input<typeof PredictionConfigSchema>;
/** {@link PredictionConfigSchema}'s output: defaults applied. */
export type PredictionConfig = z.output<typeof PredictionConfigSchema>;

/** Parses `input` with `schema`, throwing {@link PredictionConfigInvalidError} with every issue. */
export function parsePredictionConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  return parseWithSchema(schema, input, (problems) => new PredictionConfigInvalidError(what, problems));
}
