import { z } from 'zod';
import { HealthCheckOptionsInvalidError, HealthConfigInvalidError } from './health-errors.js';

// Timers take at most a signed 32-bit delay; a longer one would fire at once.
const millis = z.number().int().nonnegative().max(2_147_483_647);
const probe = z.enum(['liveness', 'readiness', 'startup']);

/** Registry-wide settings of {@link ResilienceHealthRegistry}, with their defaults. */
export const HealthConfigSchema = z
  .object({
    /** Default time a check may take before it fails, ms; default 2,000 (core's default). */
    timeoutMs: millis.positive().default(2_000),
    /**
     * How long an on-demand check's result is served again, ms; default 1,000. A burst of
     * `/health/ready` probes (several kubelets, a load balancer) then runs each check once.
     * 0 runs the check on every request (concurrent requests still share one run).
     */
    cacheMs: millis.default(1_000),
    /** Outcomes kept per check for the admin API; default 20. */
    historySize: z.number().int().positive().max(10_000).default(20),
  })
  .strict();

/** Registry settings with defaults applied; see {@link HealthConfigSchema}. */
export type HealthConfig = z.infer<typeof HealthConfigSchema>;

/** Registry settings as callers write them (every field optional). */
export type HealthConfigInput = z.input<typeof HealthConfigSchema>;

/**
 * Options of one check: core's `HealthCheckOptions` plus `cacheMs`. Defaults that depend on the
 * registry (`timeoutMs`, `cacheMs`) are left undefined here and filled in by the registry.
 */
export const HealthCheckOptionsSchema = z.object({
  /** The probes the check answers; default `['readiness']`. */
  probes: z.array(probe).min(1).default(['readiness']),
  /** Run on this period and serve the last result in between; default on demand. */
  intervalMs: millis.positive().optional(),
  /** A failing critical check fails its probes; others degrade them to `warn`. Default true. */
  critical: z.boolean().default(true),
  /** Time the check may take, ms; default the registry's `timeoutMs`. */
  timeoutMs: millis.positive().optional(),
  /** Result cache of an on-demand check, ms; default the registry's `cacheMs`. */
  cacheMs: millis.optional(),
});

/** Validates registry settings; throws {@link HealthConfigInvalidError} listing every problem. */
export function parseHealthConfig(input: unknown): HealthConfig {
  const parsed = HealthConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw new HealthConfigInvalidError(issuesOf(parsed.error));
  return parsed.data;
}

/** Validates one check's options; throws {@link HealthCheckOptionsInvalidError}. */
export function parseCheckOptions(check: string, input: unknown): z.infer<typeof HealthCheckOptionsSchema> {
  const parsed = HealthCheckOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new HealthCheckOptionsInvalidError(check, issuesOf(parsed.error));
  return parsed.data;
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
}
