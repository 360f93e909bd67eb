import type { Disposer } from '../disposer.js';

/** `pass` healthy, `warn` degraded but serving, `fail` not serving. */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** What a check reports. */
export interface HealthCheckResult {
  readonly status: HealthStatus;
  readonly message?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * A health check. Returning nothing means `pass`; throwing or rejecting means `fail`. The signal
 * aborts when the check's timeout passes.
 */
export type HealthCheck = (
  signal: AbortSignal,
) => HealthCheckResult | HealthStatus | undefined | Promise<HealthCheckResult | HealthStatus | undefined>;

/**
 * Which question a check answers, with Kubernetes' meaning: `liveness` — is the process worth
 * keeping (failing means restart it); `readiness` — should it get traffic now; `startup` — has it
 * finished starting (liveness and readiness are not asked before).
 */
export type HealthProbe = 'liveness' | 'readiness' | 'startup';

/** Options of one registered check. */
export interface HealthCheckOptions {
  /** The probes this check belongs to; default `['readiness']`. */
  readonly probes?: readonly HealthProbe[];
  /** Run the check on this period and serve the cached result in between; default on demand. */
  readonly intervalMs?: number;
  /** A failing critical check fails the whole report; others only degrade it to `warn`. Default true. */
  readonly critical?: boolean;
  /** Default 2,000 ms; a check that takes longer fails. */
  readonly timeoutMs?: number;
}

/** One check's outcome inside a {@link HealthReport}. */
export interface HealthCheckOutcome extends HealthCheckResult {
  readonly critical: boolean;
  readonly durationMs: number;
}

/** The aggregate answer, as served at `/health`. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** Epoch milliseconds. */
  readonly checkedAt: number;
  readonly durationMs: number;
  readonly checks: Readonly<Record<string, HealthCheckOutcome>>;
}

/**
 * Health contract (token `HEALTH_REGISTRY`): named checks, run concurrently, each with a timeout.
 * `@trellis/resilience` adds supervisors and history on top.
 */
export interface HealthRegistry {
  /** Adds a check; throws `HEALTH_CHECK_DUPLICATE` if `name` is taken. */
  register(name: string, check: HealthCheck, options?: HealthCheckOptions): Disposer;
  /** Runs every check (or only those of `probe`) and aggregates the result. */
  check(probe?: HealthProbe): Promise<HealthReport>;
  /** Registered check names, in registration order. */
  names(): readonly string[];
}
