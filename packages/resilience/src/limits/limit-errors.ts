import { TrellisError } from '@trellis/core';

/** Every error code `src/limits` raises; merge into the package's catalogue and `docs/errors.md`. */
export const LIMIT_ERROR_CODES = [
  'RESILIENCE_LIMIT_EXCEEDED',
  'RESILIENCE_LIMIT_CONFIG_INVALID',
  'RESILIENCE_MEMBER_EJECTED',
  'RESILIENCE_EJECTION_CONFIG_INVALID',
] as const;

/** A code from {@link LIMIT_ERROR_CODES}. */
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[number];

/**
 * Why an adaptive limiter refused a call: it was at its limit with no queue (`limit`), its wait
 * queue was full (`queue-full`), or the call waited in the queue longer than allowed
 * (`queue-timeout`).
 */
export type LimitExceededReason = 'limit' | 'queue-full' | 'queue-timeout';

const LIMIT_FIXES: Readonly<Record<LimitExceededReason, string>> = {
  limit:
    'The downstream is at the concurrency it handles well: shed or retry this call later with backoff, or use acquire() with maxQueue > 0 to wait for a slot.',
  'queue-full':
    'Too many calls are already waiting: shed this call, or raise maxQueue if callers can afford to wait longer.',
  'queue-timeout':
    'The call waited queueTimeoutMs without a slot freeing up: the downstream is slow; shed load, or raise queueTimeoutMs if waiting is acceptable.',
};

/** An adaptive concurrency limiter refused a call; `reason` says how. Safe to retry later. */
export class LimitExceededError extends TrellisError {
  /** How the call was refused. */
  readonly reason: LimitExceededReason;

  constructor(limiter: string, reason: LimitExceededReason, limit: number, inflight: number, queued: number) {
    super(
      'RESILIENCE_LIMIT_EXCEEDED',
      `Limiter "${limiter}" refused a call (${reason}): ${inflight} in flight at a limit of ${limit}, ${queued} queued.`,
      { fix: LIMIT_FIXES[reason], details: { limiter, reason, limit, inflight, queued } },
    );
    this.reason = reason;
  }
}

/** An adaptive limiter's config does not match `AdaptiveLimitConfigSchema`; every problem is listed. */
export class LimitConfigInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super(
      'RESILIENCE_LIMIT_CONFIG_INVALID',
      `Invalid adaptive limiter config:\n  - ${problems.join('\n  - ')}`,
      {
        fix: 'Correct the listed fields; see AdaptiveLimitConfigSchema for each field and its default (minLimit <= initialLimit <= maxLimit).',
        details: { problems },
      },
    );
  }
}

/** A call was addressed to a pool member that outlier ejection has taken out of rotation. */
export class MemberEjectedError extends TrellisError {
  constructor(pool: string, member: string, returnsInMs: number) {
    super(
      'RESILIENCE_MEMBER_EJECTED',
      `"${member}" of pool "${pool}" is ejected for another ${returnsInMs} ms.`,
      {
        fix: 'Route the call to another member (pool.pick()), or fail fast and retry after the ejection ends; fix what makes the member fail.',
        details: { pool, member, returnsInMs },
      },
    );
  }
}

/** An outlier-ejection pool's config does not match `OutlierEjectionConfigSchema`; every problem is listed. */
export class EjectionConfigInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super(
      'RESILIENCE_EJECTION_CONFIG_INVALID',
      `Invalid outlier ejection config:\n  - ${problems.join('\n  - ')}`,
      {
        fix: 'Correct the listed fields; see OutlierEjectionConfigSchema for each field and its default (baseEjectionMs <= maxEjectionMs).',
        details: { problems },
      },
    );
  }
}

/** Formats zod issues as `path: message` lines for the config errors above. */
export function describeIssues(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): string[] {
  return issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
  );
}
