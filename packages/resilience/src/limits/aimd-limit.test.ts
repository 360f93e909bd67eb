import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AimdLimit, clamp } from './aimd-limit.js';

const options = { initialLimit: 10, minLimit: 2, maxLimit: 20, backoffRatio: 0.9, timeoutMs: 100 };

describe('AimdLimit', () => {
  it('adds one per fast success while the limit is used', () => {
    const aimd = new AimdLimit(options);
    expect(aimd.update({ rttMs: 10, inflight: 5, dropped: false })).toBe(11);
    expect(aimd.limit).toBe(11);
  });

  it('does not grow while the caller uses less than half the limit', () => {
    const aimd = new AimdLimit(options);
    expect(aimd.update({ rttMs: 10, inflight: 4, dropped: false })).toBe(10);
  });

  it('multiplies by backoffRatio on a drop, and on a success slower than timeoutMs', () => {
    const aimd = new AimdLimit(options);
    expect(aimd.update({ rttMs: 10, inflight: 10, dropped: true })).toBe(9);
    expect(aimd.update({ rttMs: 101, inflight: 9, dropped: false })).toBe(8);
  });

  it('stays within [minLimit, maxLimit] and starts clamped', () => {
    const low = new AimdLimit({ ...options, initialLimit: 2 });
    expect(low.update({ rttMs: 1, inflight: 1, dropped: true })).toBe(2);
    const high = new AimdLimit({ ...options, initialLimit: 50 });
    expect(high.limit).toBe(20);
    expect(high.update({ rttMs: 1, inflight: 20, dropped: false })).toBe(20);
  });

  it('keeps the limit a whole number within bounds for any sample sequence', () => {
    const sample = fc.record({
      rttMs: fc.integer({ min: 0, max: 1_000 }),
      inflight: fc.integer({ min: 1, max: 400 }),
      dropped: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.array(sample, { maxLength: 200 }),
        (minLimit, span, backoffRatio, samples) => {
          const maxLimit = minLimit + span;
          const aimd = new AimdLimit({
            initialLimit: minLimit,
            minLimit,
            maxLimit,
            backoffRatio,
            timeoutMs: 500,
          });
          for (const s of samples) {
            const limit = aimd.update(s);
            expect(Number.isInteger(limit)).toBe(true);
            expect(limit).toBeGreaterThanOrEqual(minLimit);
            expect(limit).toBeLessThanOrEqual(maxLimit);
          }
        },
      ),
    );
  });
});

describe('clamp', () => {
  it('bounds a value', () => {
    expect(clamp(-1, 0, 5)).toBe(0);
    expect(clamp(9, 0, 5)).toBe(5);
    expect(clamp(3, 0, 5)).toBe(3);
  });
});
