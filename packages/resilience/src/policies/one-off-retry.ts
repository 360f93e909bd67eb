import '../events/resilience-events.js';
import { type Clock, type EventBus, systemClock, type TrellisEvents } from '@trellis/core';
import pRetry from 'p-retry';
import type { z } from 'zod';
import { BackoffSequence, type RandomSource } from './backoff.js';
import { isPolicyRejection, PolicyConfigInvalidError, RetryBudgetExhaustedError } from './policy-errors.js';
import { RetrySchema } from './policy-schema.js';
import type { RetryBudget } from './retry-budget.js';
import { sleep } from './sleep.js';

/** Options of {@link retryAsync}. */
export interface OneOffRetryOptions {
  /** Names the operation in events and errors; default `one-off`. */
  readonly name?: string;
  /** `RetrySchema` input: `maxAttempts` (total, default 3), `backoff`, `retryOn`. Validated. */
  readonly retry?: Omit<z.input<typeof RetrySchema>, 'budget'>;
  /** Stops retrying (and the current backoff) when aborted; the promise rejects with its reason. */
  readonly signal?: AbortSignal;
  /** Waits on this clock, so tests never sleep; default `systemClock`. */
  readonly clock?: Clock;
  /** Jitter source; default `Math.random`. */
  readonly random?: RandomSource;
  /** Receives `resilience.retry` and `resilience.reject`, built only while someone listens. */
  readonly bus?: EventBus<TrellisEvents>;
  /** A budget to draw retries from (e.g. the one of the dependency's policy). */
  readonly budget?: RetryBudget;
}

/**
 * Retries one async operation (a migration step, a startup connection) with the same safe
 * defaults as a policy: `maxAttempts` counts attempts (3 by default, never infinite), the
 * first retry waits ~100 ms with full jitter, and the policy's own refusals are not retried.
 * p-retry runs the loop; its own timer is disabled (`minTimeout: 0`) and the backoff is waited
 * on the injected clock, so delays follow the shared backoff and tests do not sleep. Like
 * p-retry, it does not retry a plain `TypeError` (a bug, not an outage), and an `AbortError`
 * from p-retry thrown by `fn` stops at once.
 */
export async function retryAsync<T>(
  fn: (attempt: number) => T | PromiseLike<T>,
  options: OneOffRetryOptions = {},
): Promise<T> {
  const name = options.name ?? 'one-off';
  const parsed = RetrySchema.safeParse({ ...options.retry, budget: false });
  if (!parsed.success) {
    throw new PolicyConfigInvalidError(
      `retryAsync "${name}"`,
      parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const clock = options.clock ?? systemClock;
  const bus = options.bus;
  const budget = options.budget;
  const backoff = new BackoffSequence(config.backoff, options.random ?? Math.random);
  const retryOn = config.retryOn ? new Set(config.retryOn) : undefined;
  let exhausted: RetryBudgetExhaustedError | undefined;
  budget?.recordCall();
  try {
    return await pRetry(fn, {
      retries: config.maxAttempts - 1,
      minTimeout: 0,
      signal: options.signal,
      shouldRetry: async ({ error, attemptNumber }) => {
        if (isPolicyRejection(error)) return false;
        if (retryOn !== undefined) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !retryOn.has(code)) return false;
        }
        if (budget !== undefined && !budget.tryAcquire()) {
          exhausted = new RetryBudgetExhaustedError(name, attemptNumber, budget.config.ratio, error);
          if (bus !== undefined && bus.listenerCount('resilience.reject') > 0) {
            bus.emit('resilience.reject', { policy: name, reason: 'budget-exhausted' });
          }
          return false;
        }
        const delayMs = backoff.next(attemptNumber);
        if (bus !== undefined && bus.listenerCount('resilience.retry') > 0) {
          const code = (error as { code?: unknown }).code;
          bus.emit('resilience.retry', {
            policy: name,
            attempt: attemptNumber,
            delayMs,
            error: { code: typeof code === 'string' ? code : error.name, message: error.message },
          });
        }
        await sleep(clock, delayMs, options.signal);
        return true;
      },
    });
  } catch (error) {
    throw exhausted ?? error;
  }
}
