import { z } from 'zod';
import { parseWithSchema } from '../shared/parse-schema.js';
import { SupervisorConfigInvalidError } from './supervisor-errors.js';

const millis = z.number().int().nonnegative().max(2_147_483_647);

/**
 * Exponential backoff between restarts, with jitter (OTP restarts at once; a crash loop then
 * hammers whatever the child depends on). Defaults: 100 ms, doubling, capped at 30 s, 20% jitter.
 */
export const BackoffSchema = z
  .object({
    /** Delay before the first restart, ms; default 100. */
    initialMs: millis.default(100),
    /** Longest delay, ms; default 30,000. */
    maxMs: millis.default(30_000),
    /** Growth per attempt; default 2. */
    multiplier: z.number().min(1).max(100).default(2),
    /**
     * Fraction of each delay taken off at random, 0..1; default 0.2. 0 is deterministic, 1 is
     * AWS's "full jitter". Spreads restarts of children that failed together.
     */
    jitter: z.number().min(0).max(1).default(0.2),
  })
  .strict()
  .refine((b) => b.maxMs >= b.initialMs, { message: 'maxMs must be at least initialMs', path: ['maxMs'] });

/** Backoff settings with defaults applied; see {@link BackoffSchema}. */
export type BackoffConfig = z.infer<typeof BackoffSchema>;

/**
 * OTP's restart intensity: at most `maxRestarts` within `periodMs`, else the supervisor gives up on
 * the child. Defaults: 5 restarts in 30 s; counters reset after 10 minutes of health.
 */
export const IntensitySchema = z
  .object({
    /** Restarts allowed within `periodMs`; default 5. */
    maxRestarts: z.number().int().nonnegative().default(5),
    /** The sliding window, ms; default 30,000. */
    periodMs: millis.positive().default(30_000),
    /** Healthy time after a recovery that forgets past restarts and backoff, ms; default 600,000. */
    resetAfterMs: millis.positive().default(600_000),
  })
  .strict();

/** Intensity settings with defaults applied; see {@link IntensitySchema}. */
export type IntensityConfig = z.infer<typeof IntensitySchema>;

/** Health polling; off by default (`intervalMs` 0), since most failures are reported. */
export const HealthPollSchema = z
  .object({
    /** Poll every child's `health()` this often, ms; default 0 (off). */
    intervalMs: millis.default(0),
    /** Consecutive failed polls that count as a failure; default 3 (one slow poll is not a crash). */
    failureThreshold: z.number().int().positive().default(3),
    /** A poll slower than this fails, ms; default 5,000. */
    timeoutMs: millis.positive().default(5_000),
  })
  .strict();

/** Health polling settings with defaults applied; see {@link HealthPollSchema}. */
export type HealthPollConfig = z.infer<typeof HealthPollSchema>;

/** Which children restart with a failed one, with Erlang's names. */
export const RestartStrategySchema = z.enum(['one_for_one', 'rest_for_one']);

/** `one_for_one`: the failed child only; `rest_for_one`: it and every child after it in start order. */
export type RestartStrategyName = z.infer<typeof RestartStrategySchema>;

/** Options of a generic {@link Supervisor}; every field has a default. */
export const SupervisorConfigSchema = z
  .object({
    /** Name in events and errors; default `supervisor`. */
    name: z.string().min(1).default('supervisor'),
    /** Default `one_for_one`. */
    strategy: RestartStrategySchema.default('one_for_one'),
    intensity: IntensitySchema.prefault({}),
    backoff: BackoffSchema.prefault({}),
    health: HealthPollSchema.prefault({}),
  })
  .strict();

/** {@link SupervisorConfigSchema}'s input: every field optional. */
export type SupervisorConfigInput = z.input<typeof SupervisorConfigSchema>;
/** {@link SupervisorConfigSchema}'s output: defaults applied. */
export type SupervisorConfig = z.output<typeof SupervisorConfigSchema>;

/** Options of the plugin supervisor; like {@link SupervisorConfigSchema}, `rest_for_one` by default. */
export const PluginSupervisorConfigSchema = z
  .object({
    /** Name in events; default `plugins`. */
    name: z.string().min(1).default('plugins'),
    /** Default `rest_for_one`: a plugin restarts with its dependents, which hold its services. */
    strategy: RestartStrategySchema.default('rest_for_one'),
    intensity: IntensitySchema.prefault({}),
    backoff: BackoffSchema.prefault({}),
    /** Poll `control.health()` of active plugins; off by default. */
    health: HealthPollSchema.prefault({}),
    /** Plugins never restarted (a plugin with its own supervision); default none. */
    exclude: z.array(z.string()).default([]),
  })
  .strict();

/** {@link PluginSupervisorConfigSchema}'s input: every field optional. */
export type PluginSupervisorConfigInput = z.input<typeof PluginSupervisorConfigSchema>;
/** {@link PluginSupervisorConfigSchema}'s output: defaults applied. */
export type PluginSupervisorConfig = z.output<typeof PluginSupervisorConfigSchema>;

/** Parses `input` with `schema`, throwing {@link SupervisorConfigInvalidError} with every issue. */
export function parseSupervisorConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  return parseWithSchema(schema, input, (problems) => new SupervisorConfigInvalidError(what, problems));
}
