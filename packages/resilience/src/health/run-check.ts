import {
  type Clock,
  describeError,
  type HealthCheck,
  type HealthCheckResult,
  toHealthCheckResult,
} from '@trellis/core';
import { HealthCheckTimeoutError } from './health-errors.js';

/** The result of one run of a check, normalised, with its timing. */
export interface CheckRun extends HealthCheckResult {
  /** Epoch ms when the run finished. */
  readonly finishedAt: number;
  readonly durationMs: number;
}

/**
 * Runs `check` once: a throw or rejection is `fail` with its message, nothing returned is
 * `pass`, and a run longer than `timeoutMs` is `fail` with {@link HealthCheckTimeoutError}'s
 * message while the check's signal is aborted (JavaScript cannot stop it otherwise).
 */
export async function runCheck(
  name: string,
  check: HealthCheck,
  timeoutMs: number,
  clock: Clock,
): Promise<CheckRun> {
  const startedAt = clock.now();
  const controller = new AbortController();
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Unref'd: a hanging check must not keep the process alive.
    timer = clock.setTimeout(() => reject(new HealthCheckTimeoutError(name, timeoutMs)), timeoutMs).unref();
  });
  let result: HealthCheckResult;
  try {
    const work = Promise.resolve().then(() => check(controller.signal));
    // The check may settle after the timeout; its late rejection must not go unhandled.
    work.catch(() => {});
    result = toHealthCheckResult(await Promise.race([work, timeout]));
  } catch (error) {
    controller.abort(error);
    result = { status: 'fail', message: describeError(error) };
  } finally {
    timer?.cancel();
  }
  const finishedAt = clock.now();
  return { ...result, finishedAt, durationMs: finishedAt - startedAt };
}
