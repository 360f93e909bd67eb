import type { HealthCheckOutcome, HealthStatus } from '@trellis/core';

/**
 * Core's rule: `fail` when a critical check fails, `warn` when any other check is not passing
 * (a failing optional check degrades, it does not take the service out), else `pass`.
 */
export function aggregateStatus(outcomes: Iterable<HealthCheckOutcome>): HealthStatus {
  let status: HealthStatus = 'pass';
  for (const outcome of outcomes) {
    if (outcome.status === 'fail' && outcome.critical) return 'fail';
    if (outcome.status !== 'pass') status = 'warn';
  }
  return status;
}

/** The reason of each check that is not passing: its message, else `failed` / `degraded`. */
export function reasonsOf(checks: Readonly<Record<string, HealthCheckOutcome>>): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const [name, outcome] of Object.entries(checks)) {
    if (outcome.status === 'pass') continue;
    reasons[name] = outcome.message ?? (outcome.status === 'fail' ? 'failed' : 'degraded');
  }
  return reasons;
}
