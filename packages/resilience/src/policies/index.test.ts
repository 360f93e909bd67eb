import { describe, expect, it } from '@jest/globals';
import * as policies from './index.js';

describe('policies index', () => {
  it('exports the public API', () => {
    for (const name of [
      'composePolicy',
      'Policy',
      'PolicyRegistry',
      'CircuitBreaker',
      'Timeout',
      'Bulkhead',
      'RetryBudget',
      'RedisBreakerState',
      'retryAsync',
      'toCockatielPolicy',
      'PolicyConfigSchema',
      'PoliciesConfigSchema',
      'POLICY_ERROR_CODES',
      'POLICY_ORDER',
      'backoffDelay',
    ]) {
      expect(policies).toHaveProperty(name);
    }
  });
});
