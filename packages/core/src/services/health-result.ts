import { describeError } from '../errors/describe-error.js';
import type { HealthCheckResult, HealthStatus } from './health-registry.js';

const STATUSES: ReadonlySet<string> = new Set<HealthStatus>(['pass', 'warn', 'fail']);

/**
 * What a health check or a plugin's `health` hook returned, as a {@link HealthCheckResult}: a bare
 * status, a result object (only its `status`, `message` and `details` are kept), or nothing
 * (`pass`). Anything else is a `fail` that says what came back: a check that cannot report its
 * health correctly is not known to be healthy. Every health registry and plugin host uses it, so
 * they all read answers the same way.
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

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return describeError(value);
}
