import { z } from 'zod';

/**
 * How long to wait between attempts. The defaults never retry immediately (`initialMs` ≥ 1) and
 * spread a fleet's retries (`jitter: 'full'`) so instances that failed together do not retry in
 * lock-step.
 */
export const BackoffSchema = z
  .strictObject({
    /** Base delay before the first retry, ms. */
    initialMs: z.number().int().min(1).max(3_600_000).default(100),
    /** Cap on any single delay, ms. */
    maxMs: z.number().int().min(1).max(3_600_000).default(10_000),
    /** Growth per attempt; 1 keeps the delay constant. */
    multiplier: z.number().min(1).max(100).default(2),
    /**
     * `full`: uniform in [0, exponential delay] (AWS "full jitter", the least contention);
     * `decorrelated`: uniform in [initialMs, 3 × previous delay]; `none`: exact exponential delay.
     */
    jitter: z.enum(['full', 'decorrelated', 'none']).default('full'),
  })
  .refine((b) => b.initialMs <= b.maxMs, { message: 'initialMs must not exceed maxMs', path: ['initialMs'] });

/** Resolved {@link BackoffSchema}. */
export type BackoffConfig = z.output<typeof BackoffSchema>;

/**
 * Caps retries at a share of recent calls, so that when a dependency fails broadly retries cannot
 * multiply the load on it (3 attempts per call would otherwise triple it during an outage).
 */
export const RetryBudgetSchema = z.strictObject({
  /** Retries allowed per call made, over the window: 0.2 = retries may add 20% load. */
  ratio: z.number().min(0).max(10).default(0.2),
  /** The sliding window the ratio is measured over, ms. */
  windowMs: z.number().int().min(100).max(3_600_000).default(10_000),
  /** A floor so that services with little traffic can still retry now and then. */
  minRetriesPerSecond: z.number().min(0).max(100_000).default(1),
});

/** Resolved {@link RetryBudgetSchema}. */
export type RetryBudgetConfig = z.output<typeof RetryBudgetSchema>;

/** Retries of a failed attempt. */
export const RetrySchema = z.strictObject({
  /** Total attempts including the first: 1 means no retry. Bounded, so never infinite. */
  maxAttempts: z.number().int().min(1).max(100).default(3),
  backoff: BackoffSchema.default(() => BackoffSchema.parse({})),
  /**
   * Retry only errors whose `code` is listed (`ECONNRESET`, `RESILIENCE_TIMEOUT`...). Absent:
   * retry every error except the policy's own refusals and caller aborts.
   */
  retryOn: z.array(z.string().min(1)).min(1).optional(),
  /** On by default; `false` turns it off (only for call sites whose load cannot hurt anyone). */
  budget: z.union([z.literal(false), RetryBudgetSchema]).default(() => RetryBudgetSchema.parse({})),
});

/** Resolved {@link RetrySchema}. */
export type RetryConfig = z.output<typeof RetrySchema>;

/**
 * When to stop calling a failing dependency. `consecutive` opens after `threshold` failures in
 * a row. `sampling` opens when at least `ratio` of the calls over `windowMs` failed, once the
 * window holds `minThroughput` calls; below that volume the ratio means nothing, so the
 * consecutive rule applies instead (`lowTrafficFallback`) and a quiet service can still open.
 */
export const BreakerSchema = z.strictObject({
  mode: z.enum(['consecutive', 'sampling']).default('consecutive'),
  /** Consecutive failures that open the breaker (both modes; see `lowTrafficFallback`). */
  threshold: z.number().int().min(1).max(10_000).default(5),
  /** Sampling: the failure ratio that opens the breaker. */
  ratio: z.number().gt(0).max(1).default(0.5),
  /** Sampling: the window the ratio is measured over, ms. */
  windowMs: z.number().int().min(100).max(3_600_000).default(10_000),
  /** Sampling: the calls the window must hold before the ratio is trusted. */
  minThroughput: z.number().int().min(1).max(1_000_000).default(20),
  /** Sampling: below `minThroughput`, open on `threshold` consecutive failures instead. */
  lowTrafficFallback: z.boolean().default(true),
  /** How long the breaker stays open before a timer moves it to half-open, ms. */
  halfOpenAfterMs: z.number().int().min(1).max(3_600_000).default(5_000),
  /** Probe calls let through while half-open; all must succeed to close. */
  halfOpenProbes: z.number().int().min(1).max(100).default(1),
});

/** Resolved {@link BreakerSchema}. */
export type BreakerConfig = z.output<typeof BreakerSchema>;

/** A bound on each attempt (not on the whole call with its retries). */
export const TimeoutSchema = z.strictObject({
  ms: z.number().int().min(1).max(3_600_000).default(10_000),
});

/** Resolved {@link TimeoutSchema}. */
export type TimeoutConfig = z.output<typeof TimeoutSchema>;

/** A cap on concurrent calls, so one slow dependency cannot take every connection or worker. */
export const BulkheadSchema = z.strictObject({
  /** Calls running at once (a retrying call keeps its slot during backoff). */
  limit: z.number().int().min(1).max(1_000_000).default(10),
  /** Calls waiting for a slot; beyond it calls are refused at once. */
  queue: z.number().int().min(0).max(1_000_000).default(0),
});

/** Resolved {@link BulkheadSchema}. */
export type BulkheadConfig = z.output<typeof BulkheadSchema>;

/** The failures a fallback answers: refusals (breaker, bulkhead, budget), timeouts, other errors. */
export const FallbackTriggerSchema = z.enum(['rejected', 'timeout', 'error']);

/** A {@link FallbackTriggerSchema} value. */
export type FallbackTrigger = z.output<typeof FallbackTriggerSchema>;

/** A static value served instead of failing; code can pass a fallback function per call instead. */
export const FallbackSchema = z.strictObject({
  value: z.json(),
  on: z.array(FallbackTriggerSchema).min(1).default(['rejected', 'timeout', 'error']),
});

/** Resolved {@link FallbackSchema}. */
export type FallbackConfig = z.output<typeof FallbackSchema>;

/** A section that may be switched off with `false` in a more specific layer. */
const section = <S extends z.ZodType>(schema: S) => z.union([z.literal(false), schema]).optional();

/**
 * One call site's policy. Every section is optional (absent = not applied); `false` switches
 * off a section a less specific layer turned on.
 */
export const PolicyConfigSchema = z.strictObject({
  retry: section(RetrySchema),
  breaker: section(BreakerSchema),
  timeout: section(TimeoutSchema),
  bulkhead: section(BulkheadSchema),
  fallback: section(FallbackSchema),
});

/** Resolved {@link PolicyConfigSchema}: defaults filled in. */
export type PolicyConfig = z.output<typeof PolicyConfigSchema>;

/** {@link PolicyConfigSchema} as written: every field optional. */
export type PolicyConfigInput = z.input<typeof PolicyConfigSchema>;

/**
 * Every policy of an application. `resolve(plugin, callSite)` merges, most specific last:
 * `defaults` < `callSites[callSite]` < `plugins[plugin]['*']` < `plugins[plugin][callSite]`.
 * Layers merge field by field (arrays are replaced), so a plugin can change one number of a
 * shared call site's policy without restating the rest.
 *
 * @example
 * ```json
 * {
 *   "defaults": { "retry": {}, "timeout": { "ms": 2000 } },
 *   "callSites": { "payments.charge": { "retry": false, "breaker": { "mode": "sampling" } } },
 *   "plugins": { "billing": { "*": { "bulkhead": { "limit": 4 } }, "payments.charge": { "timeout": { "ms": 5000 } } } }
 * }
 * ```
 */
export const PoliciesConfigSchema = z.strictObject({
  defaults: PolicyConfigSchema.default({}),
  callSites: z.record(z.string().min(1), PolicyConfigSchema).default({}),
  plugins: z.record(z.string().min(1), z.record(z.string().min(1), PolicyConfigSchema)).default({}),
});

/** {@link PoliciesConfigSchema} as written. */
export type PoliciesConfigInput = z.input<typeof PoliciesConfigSchema>;
