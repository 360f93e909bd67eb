import { describeError, type HealthCheckResult } from '@trellis/core';

/** The result of a `health` hook that threw: `fail`, with the error's message. */
export function failedHealth(error: unknown): HealthCheckResult {
  return { status: 'fail', message: describeError(error) };
}
