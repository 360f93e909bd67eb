import { z } from 'zod';
import { describeIssues, EjectionConfigInvalidError } from './limit-errors.js';

const millis = z.number().int().positive().max(2_147_483_647);

/**
 * Config of an {@link OutlierEjection} pool, after Envoy's outlier detection. Every field has a
 * default, so `{}` is valid.
 */
export const OutlierEjectionConfigSchema = z
  .object({
    /** The pool's name in events and errors; default `default`. */
    name: z.string().min(1).default('default'),
    /** Members known from the start; more join on first record or `add()`. */
    members: z.array(z.string().min(1)).default([]),
    /** Consecutive failures that eject a member; 0 turns this detector off; default 5. */
    consecutiveFailures: z.number().int().min(0).default(5),
    /** Failure ratio over the window (>=) that ejects a member, in [0, 1]; 0 turns it off; default 0.5. */
    failureRatio: z.number().min(0).max(1).default(0.5),
    /** Requests in the window before the ratio is judged, so 1 failure of 1 is not 100%; default 10. */
    minRequests: z.number().int().min(1).default(10),
    /** The failure-ratio window, ms; also how long a member must stay healthy to lose one ejection step; default 10,000. */
    windowMs: millis.default(10_000),
    /** Slices of the window (its precision); default 10. */
    windowBuckets: z.number().int().min(1).max(1_000).default(10),
    /** First ejection lasts this long; the n-th lasts n times as long; default 30,000 ms. */
    baseEjectionMs: millis.default(30_000),
    /** Cap on one ejection's length; default 300,000 ms. */
    maxEjectionMs: millis.default(300_000),
    /**
     * At most this share of the pool is ejected at once, rounded down: a bad deploy that fails
     * every member must not empty the pool. Envoy defaults to 10 for large host pools; plugin
     * pools are small, so the default is 50. A pool of one member is never ejected below 100.
     */
    maxEjectionPercent: z.number().min(0).max(100).default(50),
    /** How `pick()` chooses among healthy members; default `round-robin`. */
    strategy: z.enum(['round-robin', 'random']).default('round-robin'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.baseEjectionMs > config.maxEjectionMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseEjectionMs'],
        message: `must be <= maxEjectionMs (${config.maxEjectionMs})`,
      });
    }
  });

/** An outlier-ejection pool's config as written (every field optional). */
export type OutlierEjectionConfig = z.input<typeof OutlierEjectionConfigSchema>;

/** An outlier-ejection pool's config with defaults applied. */
export type OutlierEjectionSettings = z.output<typeof OutlierEjectionConfigSchema>;

/** Validates `config` and applies defaults; throws `EjectionConfigInvalidError` listing every problem. */
export function parseOutlierEjectionConfig(config: unknown): OutlierEjectionSettings {
  const parsed = OutlierEjectionConfigSchema.safeParse(config ?? {});
  if (!parsed.success) throw new EjectionConfigInvalidError(describeIssues(parsed.error.issues));
  return parsed.data;
}
