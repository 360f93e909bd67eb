import type {
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthProbe,
  HealthReport,
  HealthStatus,
} from '@trellis/core';

/** Options of one check: core's, plus a per-check result cache. */
export interface ResilienceHealthCheckOptions extends HealthCheckOptions {
  /**
   * How long an on-demand result is served again, ms; default the registry's `cacheMs`. 0 for
   * checks that read in-memory state (a breaker), where caching only hides changes.
   */
  readonly cacheMs?: number;
}

/** One run of a check, as kept in its history. */
export interface HealthHistoryEntry {
  /** Epoch ms when the run finished. */
  readonly at: number;
  readonly status: HealthStatus;
  readonly message?: string;
  readonly durationMs: number;
}

/** One check inside a {@link ResilienceHealthReport}: core's outcome plus where it came from. */
export interface ResilienceCheckOutcome extends HealthCheckOutcome {
  /** Epoch ms when the result was produced. */
  readonly checkedAt: number;
  /** How old the result is at report time, ms (0 when it ran for this report). */
  readonly ageMs: number;
  /** True when served from the interval scheduler or the result cache rather than run now. */
  readonly cached: boolean;
}

/**
 * The registry's report: core's {@link HealthReport} shape (so `/health` handlers keep working),
 * plus the probe asked, a reason per check that is not passing, and the startup gate.
 */
export interface ResilienceHealthReport extends HealthReport {
  /** The probe asked; absent when every check was asked. */
  readonly probe?: HealthProbe;
  readonly checks: Readonly<Record<string, ResilienceCheckOutcome>>;
  /** Each check that is not passing, with its message (or `failed` / `degraded`). */
  readonly reasons: Readonly<Record<string, string>>;
  /** True while a critical startup check has not passed once yet. */
  readonly starting: boolean;
  /** Why the status was decided without the probe's checks: `starting` during startup. */
  readonly reason?: 'starting';
}

/** What the admin API shows of one registered check. */
export interface HealthCheckSnapshot {
  readonly name: string;
  readonly probes: readonly HealthProbe[];
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly intervalMs?: number;
  /** For a startup check: whether it has passed once (startup checks are not asked again after). */
  readonly startupPassed?: boolean;
  /** Oldest first. */
  readonly history: readonly HealthHistoryEntry[];
}
