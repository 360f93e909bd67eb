import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { ErrorBudget } from './error-budget.js';

const MINUTE = 60_000;

/** `perMinute` calls a minute for `minutes`, `errorRate` of them failing (spread evenly). */
function traffic(
  budget: ErrorBudget,
  clock: ManualClock,
  minutes: number,
  perMinute: number,
  errorRate: number,
) {
  let failed = 0;
  for (let m = 0; m < minutes; m += 1) {
    for (let i = 0; i < perMinute; i += 1) {
      const due = Math.floor((m * perMinute + i + 1) * errorRate);
      budget.record(failed >= due);
      if (failed < due) failed += 1;
      clock.advance(MINUTE / perMinute);
    }
  }
}

describe('ErrorBudget', () => {
  it('computes burn rates as error rate over the allowed error rate', () => {
    const clock = new ManualClock();
    const budget = new ErrorBudget({ slo: 0.99 }, clock);
    traffic(budget, clock, 10, 100, 0.05);
    const { burn, events } = budget.burnRate(10 * MINUTE);
    expect(events).toBe(1_000);
    expect(burn).toBeCloseTo(5, 1);
    expect(budget.burnRate(MINUTE, clock.now() + 60 * MINUTE)).toEqual({ burn: 0, events: 0 });
  });

  it('fires when both the long and the short window burn fast, and estimates the time to exhaustion', () => {
    const clock = new ManualClock();
    const budget = new ErrorBudget({}, clock);
    traffic(budget, clock, 60, 60, 0.0005);
    expect(budget.assess().flagged).toBe(false);
    traffic(budget, clock, 60, 60, 0.02);
    const assessment = budget.assess();
    expect(assessment.flagged).toBe(true);
    expect(assessment.worst.window).toEqual({ longMs: 60 * MINUTE, shortMs: 5 * MINUTE, burnRate: 14.4 });
    expect(assessment.worst.longBurn).toBeCloseTo(20, 0);
    expect(assessment.exhaustionInMs / (60 * MINUTE)).toBeCloseTo(36, 0);
  });

  it('clears soon after the errors stop: the short window no longer burns', () => {
    const clock = new ManualClock();
    // The 1 h / 5 min window only: the 6 h / 30 min one rightly keeps firing for a while.
    const budget = new ErrorBudget(
      { windows: [{ longMs: 60 * MINUTE, shortMs: 5 * MINUTE, burnRate: 14.4 }] },
      clock,
    );
    traffic(budget, clock, 60, 60, 0.05);
    expect(budget.assess().flagged).toBe(true);
    traffic(budget, clock, 6, 60, 0);
    const assessment = budget.assess();
    expect(assessment.flagged).toBe(false);
    expect(assessment.windows[0]?.longBurn).toBeGreaterThan(14.4);
  });

  it('needs minEvents calls before alerting, and forgets on reset', () => {
    const clock = new ManualClock();
    const budget = new ErrorBudget({ minEvents: 50 }, clock);
    traffic(budget, clock, 10, 2, 0.5);
    expect(budget.assess().flagged).toBe(false);
    budget.reset();
    expect(budget.assess()).toMatchObject({ flagged: false, exhaustionInMs: Number.POSITIVE_INFINITY });
  });

  it('drops buckets older than the longest window', () => {
    const clock = new ManualClock();
    const budget = new ErrorBudget(
      { windows: [{ longMs: 10 * MINUTE, shortMs: MINUTE, burnRate: 2 }], minEvents: 0 },
      clock,
    );
    budget.record(false);
    clock.advance(30 * MINUTE);
    budget.record(true);
    expect(budget.burnRate(60 * MINUTE).events).toBe(1);
  });

  it('rejects invalid windows', () => {
    expect(() => new ErrorBudget({ windows: [{ longMs: 1_000, shortMs: 5_000, burnRate: 2 }] })).toThrow(
      expect.objectContaining({ code: 'PREDICTION_CONFIG_INVALID' }),
    );
  });
});
