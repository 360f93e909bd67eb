import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  BreakerOpenError,
  BulkheadFullError,
  isPolicyRejection,
  POLICY_ERROR_CODES,
  PolicyConfigInvalidError,
  PolicyTimeoutError,
  RetryBudgetExhaustedError,
} from './policy-errors.js';

describe('policy errors', () => {
  const cause = new Error('ECONNRESET');
  const errors = [
    new BreakerOpenError('billing/charge', 5_000, '5 consecutive failures'),
    new BulkheadFullError('billing/charge', 4, 2),
    new RetryBudgetExhaustedError('billing/charge', 2, 0.2, cause),
    new PolicyTimeoutError('billing/charge', 250),
    new PolicyConfigInvalidError('policies', ['  retry.maxAttempts: Too small']),
  ];

  it('are TrellisErrors with a listed code, a fix and the policy in the details', () => {
    expect(errors.map((e) => e.code)).toEqual([...POLICY_ERROR_CODES]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.fix).toEqual(expect.any(String));
      expect(error.message).toContain('Fix:');
      expect(error.name).toBe(error.constructor.name);
    }
    expect(errors[0]?.details).toEqual({
      policy: 'billing/charge',
      openUntil: 5_000,
      reason: '5 consecutive failures',
    });
    expect(errors[2]?.cause).toBe(cause);
    expect(errors[2]?.message).toContain('20% of recent calls');
    expect(errors[4]?.message).toContain('\n  retry.maxAttempts: Too small');
  });

  it('isPolicyRejection is true only for refusals', () => {
    expect(errors.map(isPolicyRejection)).toEqual([true, true, true, false, false]);
    expect(isPolicyRejection(new Error('x'))).toBe(false);
    expect(isPolicyRejection(undefined)).toBe(false);
  });
});
