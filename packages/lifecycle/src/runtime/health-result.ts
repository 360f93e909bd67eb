import { describeError, type HealthCheckResult, type HealthStatus } from '@trellis/core';

const STATUSES: ReadonlySet<string> = new Set<HealthStatus>(['pass', 'warn', 'fail']);

/**
 * A plugin `health` hook's answer as a {@link HealthCheckResult}: a bare status, a result object,
 * or nothing (`pass`, as for any health check). Anything else is a `fail` that says what came back,
 * because a plugin that cannot report its health correctly is not known to be healthy.
 */
export function toHealthCheckResult(raw: unknown): HealthCheckResult {
  if (raw === undefined) return { status: 'pass' };
  if (typeof raw === 'string' && STATUSES.has(raw)) return { status: raw as HealthStatus };
  if (typeof raw === 'object' && raw !== null) {
    const { status, message, details } = raw as Record<string, unknown>;
    if (typeof status === 'string' && STATUSES.has(status)) {
      return {
        status: status as HealthStatus,
        ...(typeof message === 'string' ? { message } : {}),
        ...(typeof details === 'object' && details !== null
          ? { details: details as Record<string, unknown> }
          : {}),
      };
    }
  }
  return {
    status: 'fail',
    message: `health returned ${describeValue(raw)}, not "pass", "warn", "fail" or { status }`,
  };
}

/** The result of a `health` hook that threw: `fail`, with the error's message. */
export function failedHealth(error: unknown): HealthCheckResult {
  return { status: 'fail', message: describeError(error) };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return describeError(value);
}
