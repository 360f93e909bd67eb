import { TrellisError } from '@trellis/core';

/**
 * Every error code the health registry raises; merge into the package's list and `docs/errors.md`.
 * A duplicate check name raises core's `HEALTH_CHECK_DUPLICATE`, as the contract says.
 */
export const HEALTH_ERROR_CODES = [
  'HEALTH_CONFIG_INVALID',
  'HEALTH_CHECK_OPTIONS_INVALID',
  'HEALTH_CHECK_TIMEOUT',
] as const;

/** A code from {@link HEALTH_ERROR_CODES}. */
export type HealthErrorCode = (typeof HEALTH_ERROR_CODES)[number];

/** Registry options that do not match {@link HealthConfigSchema}; `issues` lists each problem. */
export class HealthConfigInvalidError extends TrellisError {
  constructor(issues: readonly string[]) {
    super(
      'HEALTH_CONFIG_INVALID',
      `Invalid health registry options:\n${issues.map((i) => `  - ${i}`).join('\n')}`,
      {
        fix: 'Correct the listed options; every field, its default and its range are documented on HealthConfigSchema.',
        details: { issues },
      },
    );
  }
}

/** Options of one `register()` call that do not match their schema. */
export class HealthCheckOptionsInvalidError extends TrellisError {
  constructor(check: string, issues: readonly string[]) {
    super(
      'HEALTH_CHECK_OPTIONS_INVALID',
      `Invalid options for health check "${check}":\n${issues.map((i) => `  - ${i}`).join('\n')}`,
      {
        fix: 'Pass probes as a non-empty list of liveness/readiness/startup, and positive whole milliseconds for timeoutMs and intervalMs.',
        details: { check, issues },
      },
    );
  }
}

/** A check did not settle within its timeout; it is reported as failing with this message. */
export class HealthCheckTimeoutError extends TrellisError {
  constructor(check: string, timeoutMs: number) {
    super('HEALTH_CHECK_TIMEOUT', `Health check "${check}" did not finish within ${timeoutMs} ms.`, {
      fix: `Make "${check}" answer sooner (honour its AbortSignal, check a cached state), or raise its timeoutMs.`,
      details: { check, timeoutMs },
    });
  }
}
