import { z } from 'zod';
import { AimdLimit } from './aimd-limit.js';
import { Gradient2Limit } from './gradient2-limit.js';
import type { LimitAlgorithm } from './limit-algorithm.js';
import { describeIssues, LimitConfigInvalidError } from './limit-errors.js';

const limitValue = z.number().int().min(1).max(1_000_000);
const millis = z.number().int().positive().max(2_147_483_647);

/** Settings of the `aimd` algorithm. */
export const AimdConfigSchema = z
  .object({
    /** Multiplier applied to the limit on a drop, in (0, 1); default 0.9. */
    backoffRatio: z.number().gt(0).lt(1).default(0.9),
    /** A success slower than this counts as a drop (the latency threshold), ms; default 5,000. */
    timeoutMs: millis.default(5_000),
  })
  .strict();

/** Settings of the `gradient2` algorithm; defaults are Netflix's. */
export const Gradient2ConfigSchema = z
  .object({
    /** Weight of each new estimate, in (0, 1]; default 0.2. */
    smoothing: z.number().gt(0).max(1).default(0.2),
    /** Samples in the long-term (baseline) RTT average; default 600. */
    longWindow: z.number().int().min(1).default(600),
    /** Samples in the short-term RTT average; default 1 (each sample as is). */
    shortWindow: z.number().int().min(1).default(1),
    /** Slowdown over the baseline tolerated before shrinking, >= 1; default 1.5. */
    rttTolerance: z.number().min(1).default(1.5),
    /** Headroom added per update: a number, or `sqrt`/`log10` of the limit; default 4. */
    queueSize: z.union([z.number().min(0), z.enum(['sqrt', 'log10'])]).default(4),
    /** RTT floor, ms; keep it at the clock's resolution; default 1. */
    minRttMs: z.number().positive().default(1),
  })
  .strict();

/**
 * Config of an {@link AdaptiveConcurrencyLimiter}. Every field has a default, so `{}` is valid:
 * `gradient2`, limit 20 within [1, 200], no queue.
 */
export const AdaptiveLimitConfigSchema = z
  .object({
    /** Shown in events and errors, e.g. `plugin:billing`; default `default`. */
    name: z.string().min(1).default('default'),
    /** `gradient2` (latency-driven, default) or `aimd` (drop-driven, with a latency threshold). */
    algorithm: z.enum(['aimd', 'gradient2']).default('gradient2'),
    /** Limit before any sample; default 20. */
    initialLimit: limitValue.default(20),
    /** The limit never goes below this; default 1. */
    minLimit: limitValue.default(1),
    /** The limit never goes above this; default 200. */
    maxLimit: limitValue.default(200),
    /** Callers `acquire()` may park while at the limit; default 0 (refuse at once). */
    maxQueue: z.number().int().min(0).max(1_000_000).default(0),
    /** How long a parked caller waits for a permit, ms; default 1,000. */
    queueTimeoutMs: millis.default(1_000),
    aimd: AimdConfigSchema.prefault({}),
    gradient2: Gradient2ConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.minLimit > config.maxLimit) {
      ctx.addIssue({
        code: 'custom',
        path: ['minLimit'],
        message: `must be <= maxLimit (${config.maxLimit})`,
      });
    } else if (config.initialLimit < config.minLimit || config.initialLimit > config.maxLimit) {
      ctx.addIssue({
        code: 'custom',
        path: ['initialLimit'],
        message: `must be within [minLimit, maxLimit] = [${config.minLimit}, ${config.maxLimit}]`,
      });
    }
  });

/** An adaptive limiter's config as written (every field optional). */
export type AdaptiveLimitConfig = z.input<typeof AdaptiveLimitConfigSchema>;

/** An adaptive limiter's config with defaults applied. */
export type AdaptiveLimitSettings = z.output<typeof AdaptiveLimitConfigSchema>;

/** Validates `config` and applies defaults; throws `LimitConfigInvalidError` listing every problem. */
export function parseAdaptiveLimitConfig(config: unknown): AdaptiveLimitSettings {
  const parsed = AdaptiveLimitConfigSchema.safeParse(config ?? {});
  if (!parsed.success) throw new LimitConfigInvalidError(describeIssues(parsed.error.issues));
  return parsed.data;
}

/** The {@link LimitAlgorithm} that `settings.algorithm` names, configured from `settings`. */
export function createLimitAlgorithm(settings: AdaptiveLimitSettings): LimitAlgorithm {
  const bounds = {
    initialLimit: settings.initialLimit,
    minLimit: settings.minLimit,
    maxLimit: settings.maxLimit,
  };
  return settings.algorithm === 'aimd'
    ? new AimdLimit({ ...bounds, ...settings.aimd })
    : new Gradient2Limit({ ...bounds, ...settings.gradient2 });
}
