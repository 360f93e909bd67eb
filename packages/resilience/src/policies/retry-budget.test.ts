import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import fc from 'fast-check';
import { type RetryBudgetConfig, RetryBudgetSchema } from './policy-schema.js';
import { RetryBudget, retryAllowance, retryBudgetAllows } from './retry-budget.js';

const config = (over: Partial<RetryBudgetConfig> = {}): RetryBudgetConfig => RetryBudgetSchema.parse(over);

describe('retry budget arithmetic', () => {
  it('allows ratio × calls plus the per-second floor over the window', () => {
    expect(retryAllowance(100, config())).toBe(20 + 10);
    expect(retryAllowance(0, config({ minRetriesPerSecond: 0 }))).toBe(0);
    expect(retryBudgetAllows(100, 29, config())).toBe(true);
    expect(retryBudgetAllows(100, 30, config())).toBe(false);
  });

  it('property: retries granted one by one never exceed the allowance, and reach its floor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 100, max: 60_000 }),
        (calls, ratio, minRetriesPerSecond, windowMs) => {
          const c = { ratio, minRetriesPerSecond, windowMs };
          let retries = 0;
          while (retryBudgetAllows(calls, retries, c)) retries++;
          expect(retries).toBeLessThanOrEqual(retryAllowance(calls, c));
          expect(retries).toBe(Math.max(0, Math.floor(retryAllowance(calls, c))));
        },
      ),
    );
  });

  it('property: more calls never allow fewer retries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 500 }),
        (calls, extra, retries) => {
          const c = config();
          if (retryBudgetAllows(calls, retries, c))
            expect(retryBudgetAllows(calls + extra, retries, c)).toBe(true);
        },
      ),
    );
  });
});

describe('RetryBudget', () => {
  it('caps retries at 20% of recent calls plus the floor, then refills as the window slides', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget(config({ minRetriesPerSecond: 0 }), clock);
    for (let i = 0; i < 50; i++) budget.recordCall();
    const granted = Array.from({ length: 20 }, () => budget.tryAcquire()).filter(Boolean).length;
    expect(granted).toBe(10);
    expect(budget.snapshot()).toEqual({ calls: 50, retries: 10, available: 0 });
    clock.advance(10_000);
    expect(budget.snapshot()).toEqual({ calls: 0, retries: 0, available: 0 });
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
  });

  it('lets a quiet service retry thanks to the floor', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget(config({ minRetriesPerSecond: 0.5, windowMs: 2_000 }), clock);
    budget.recordCall(clock.now());
    expect(budget.tryAcquire(clock.now())).toBe(true);
    expect(budget.tryAcquire(clock.now())).toBe(false);
  });

  it('property: over any schedule, a retry is granted exactly when it fits the allowance at that moment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.boolean()), { maxLength: 200 }),
        (schedule) => {
          const clock = new ManualClock();
          const budget = new RetryBudget(config({ windowMs: 1_000 }), clock);
          for (const [gap, isRetry] of schedule) {
            clock.advance(gap);
            if (!isRetry) {
              budget.recordCall();
              continue;
            }
            const before = budget.snapshot();
            const granted = budget.tryAcquire();
            const after = budget.snapshot();
            expect(granted).toBe(before.retries + 1 <= retryAllowance(before.calls, budget.config));
            expect(after.retries).toBe(before.retries + (granted ? 1 : 0));
            expect(after.retries).toBeLessThanOrEqual(
              Math.max(before.retries, retryAllowance(after.calls, budget.config)),
            );
          }
        },
      ),
    );
  });
});
