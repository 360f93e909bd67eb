import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { composePolicy, POLICY_ORDER } from './compose.js';
import { PolicyConfigSchema } from './policy-schema.js';
import { RetryBudget } from './retry-budget.js';

describe('composePolicy', () => {
  it('documents the layer order, outermost first', () => {
    expect(POLICY_ORDER).toEqual(['fallback', 'bulkhead', 'retry', 'breaker', 'timeout']);
  });

  it('builds only the declared sections; a retry gets a budget unless it is switched off', () => {
    const clock = new ManualClock();
    const all = composePolicy(
      'all',
      PolicyConfigSchema.parse({
        retry: {},
        breaker: {},
        timeout: { ms: 5 },
        bulkhead: {},
        fallback: { value: null },
      }),
      { clock },
    );
    expect([all.bulkhead, all.breaker, all.budget, all.timeout].every(Boolean)).toBe(true);
    expect(all.timeout?.ms).toBe(5);
    const none = composePolicy('none', PolicyConfigSchema.parse({ retry: false, breaker: false }), { clock });
    expect([none.bulkhead, none.breaker, none.budget, none.timeout]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const unbudgeted = composePolicy('x', PolicyConfigSchema.parse({ retry: { budget: false } }));
    expect(unbudgeted.budget).toBeUndefined();
  });

  it('uses a shared budget when given one, and attaches shared breaker state', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.1, windowMs: 1_000, minRetriesPerSecond: 0 }, clock);
    const attached: string[] = [];
    const policy = composePolicy('svc', PolicyConfigSchema.parse({ retry: {}, breaker: {} }), {
      clock,
      budget,
      sharedState: {
        attach: (breaker) => {
          attached.push(breaker.name);
          return { dispose: () => {} };
        },
      },
    });
    expect(policy.budget).toBe(budget);
    expect(attached).toEqual(['svc']);
  });
});
