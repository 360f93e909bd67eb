import { TrellisError } from '@trellis/core';

/** Every error code the policy layer raises; each is documented in `docs/errors.md`. */
export const POLICY_ERROR_CODES = [
  'RESILIENCE_BREAKER_OPEN',
  'RESILIENCE_BULKHEAD_FULL',
  'RESILIENCE_RETRY_BUDGET_EXHAUSTED',
  'RESILIENCE_TIMEOUT',
  'RESILIENCE_POLICY_INVALID',
] as const;

/** A code from {@link POLICY_ERROR_CODES}. */
export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

/**
 * A call refused because the circuit breaker of `policy` is open. Built once per opening and
 * reused for every refused call, so failing fast costs no stack capture; its stack therefore
 * points at the opening, not at the refused call.
 */
export class BreakerOpenError extends TrellisError {
  constructor(policy: string, openUntil: number, reason: string) {
    super(
      'RESILIENCE_BREAKER_OPEN',
      `Policy "${policy}" refused the call: its circuit breaker is open (${reason}).`,
      {
        fix:
          'The dependency behind it is failing; serve a fallback, or wait until it recovers (the breaker ' +
          'lets a probe through by itself). Tune breaker.threshold / breaker.halfOpenAfterMs if it opens too eagerly.',
        details: { policy, openUntil, reason },
      },
    );
  }
}

/** A call refused because the bulkhead of `policy` has no free slot and no queue room. */
export class BulkheadFullError extends TrellisError {
  constructor(policy: string, limit: number, queue: number) {
    super(
      'RESILIENCE_BULKHEAD_FULL',
      `Policy "${policy}" refused the call: ${limit} calls are running and ${queue} are queued.`,
      {
        fix: 'Shed or delay the load, or raise bulkhead.limit / bulkhead.queue if the dependency can take more.',
        details: { policy, limit, queue },
      },
    );
  }
}

/**
 * A retry was skipped because the policy's retry budget is spent: too many recent calls were
 * retries already. `cause` is the failure that would have been retried.
 */
export class RetryBudgetExhaustedError extends TrellisError {
  constructor(policy: string, attempt: number, ratio: number, cause: unknown) {
    super(
      'RESILIENCE_RETRY_BUDGET_EXHAUSTED',
      `Policy "${policy}" did not retry after attempt ${attempt}: retries already make up ${Math.round(ratio * 100)}% of recent calls.`,
      {
        fix:
          'The dependency is failing broadly, and more retries would only multiply its load; fix the cause ' +
          '(see error.cause), or raise retry.budget.ratio if the traffic really needs more retries.',
        details: { policy, attempt, ratio },
        cause,
      },
    );
  }
}

/** An attempt of `policy` did not settle within `timeoutMs`. */
export class PolicyTimeoutError extends TrellisError {
  constructor(policy: string, timeoutMs: number) {
    super('RESILIENCE_TIMEOUT', `Policy "${policy}" gave up on an attempt after ${timeoutMs} ms.`, {
      fix: 'Make the call faster (and honour ctx.signal so it stops when timed out), or raise timeout.ms for this call site.',
      details: { policy, timeoutMs },
    });
  }
}

/** Policy configuration that does not match the schema; `problems` lists `path: message` lines. */
export class PolicyConfigInvalidError extends TrellisError {
  constructor(where: string, problems: readonly string[]) {
    super(
      'RESILIENCE_POLICY_INVALID',
      `Invalid resilience policy configuration in ${where}:\n${problems.join('\n')}`,
      {
        fix: 'Correct the listed fields; every field and its default is described on PolicyConfigSchema.',
        details: { where, problems },
      },
    );
  }
}

/**
 * True for the refusals the policy itself raises (open breaker, full bulkhead, spent budget):
 * retrying them would add load where the policy just decided to shed it, and they say nothing
 * about the dependency's health, so they are never retried nor counted by the breaker.
 */
export function isPolicyRejection(error: unknown): boolean {
  return (
    error instanceof BreakerOpenError ||
    error instanceof BulkheadFullError ||
    error instanceof RetryBudgetExhaustedError
  );
}
