import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ExpAvg } from './exp-avg.js';
import { Gradient2Limit, type Gradient2LimitOptions } from './gradient2-limit.js';

const options: Gradient2LimitOptions = {
  initialLimit: 20,
  minLimit: 1,
  maxLimit: 200,
  smoothing: 0.2,
  longWindow: 600,
  shortWindow: 1,
  rttTolerance: 1.5,
  queueSize: 4,
  minRttMs: 1,
};

describe('Gradient2Limit', () => {
  it('grows by the smoothed headroom while RTT stays at the baseline', () => {
    const g = new Gradient2Limit(options);
    // gradient 1: 20·0.8 + (20 + 4)·0.2 = 20.8
    expect(g.update({ rttMs: 10, inflight: 20, dropped: false })).toBeCloseTo(20.8, 10);
    expect(g.longRttMs).toBe(10);
    expect(g.shortRttMs).toBe(10);
  });

  it('shrinks when the short RTT rises past rttTolerance × the baseline', () => {
    const g = new Gradient2Limit(options);
    for (let i = 0; i < 20; i += 1) g.update({ rttMs: 10, inflight: 200, dropped: false });
    const before = g.limit;
    // The baseline barely moves on one sample; short 100 → gradient clamps to 0.5.
    const after = g.update({ rttMs: 100, inflight: 200, dropped: false });
    expect(after).toBeCloseTo(before * 0.8 + (before * 0.5 + 4) * 0.2, 10);
    expect(after).toBeLessThan(before);
  });

  it('keeps the limit while application-limited (under half used), but still learns the RTT', () => {
    const g = new Gradient2Limit(options);
    expect(g.update({ rttMs: 50, inflight: 9, dropped: false })).toBe(20);
    expect(g.longRttMs).toBe(50);
  });

  it('cuts on a drop whatever its RTT, without headroom, and keeps the drop out of the baseline', () => {
    const g = new Gradient2Limit({ ...options, initialLimit: 5 });
    g.update({ rttMs: 10, inflight: 5, dropped: false });
    const before = g.limit;
    const after = g.update({ rttMs: 0, inflight: 1, dropped: true });
    expect(after).toBeCloseTo(before * 0.9, 10);
    expect(g.longRttMs).toBe(10);
  });

  it('decays an inflated baseline once latency is back to normal', () => {
    const g = new Gradient2Limit({ ...options, longWindow: 1_000 });
    for (let i = 0; i < 10; i += 1) g.update({ rttMs: 100, inflight: 1, dropped: false });
    g.update({ rttMs: 10, inflight: 1, dropped: false });
    const plainEwma = 100 * (1 - 2 / 1_001) + 10 * (2 / 1_001);
    expect(g.longRttMs).toBeCloseTo(plainEwma * 0.95, 10);
  });

  it('treats RTTs below minRttMs as minRttMs, so sub-resolution noise cannot shrink the limit', () => {
    const g = new Gradient2Limit(options);
    g.update({ rttMs: 0, inflight: 20, dropped: false });
    g.update({ rttMs: 0, inflight: 20, dropped: false });
    const before = g.limit;
    expect(g.update({ rttMs: 1, inflight: 20, dropped: false })).toBeGreaterThan(before);
  });

  it('supports sqrt and log10 headroom', () => {
    const sqrt = new Gradient2Limit({ ...options, initialLimit: 100, queueSize: 'sqrt' });
    expect(sqrt.update({ rttMs: 10, inflight: 100, dropped: false })).toBeCloseTo(100 + 10 * 0.2, 10);
    const log = new Gradient2Limit({ ...options, initialLimit: 100, queueSize: 'log10' });
    expect(log.update({ rttMs: 10, inflight: 100, dropped: false })).toBeCloseTo(100 + 2 * 0.2, 10);
    const tiny = new Gradient2Limit({ ...options, initialLimit: 1, queueSize: 'log10' });
    expect(tiny.update({ rttMs: 10, inflight: 1, dropped: false })).toBeCloseTo(1 + 0.2, 10);
  });

  it('stays within [minLimit, maxLimit] for any sample sequence', () => {
    const sample = fc.record({
      rttMs: fc.integer({ min: 0, max: 5_000 }),
      inflight: fc.integer({ min: 1, max: 500 }),
      dropped: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom('sqrt' as const, 'log10' as const)),
        fc.array(sample, { maxLength: 200 }),
        (minLimit, span, smoothing, queueSize, samples) => {
          const maxLimit = minLimit + span;
          const g = new Gradient2Limit({
            ...options,
            initialLimit: maxLimit,
            minLimit,
            maxLimit,
            smoothing,
            queueSize,
          });
          for (const s of samples) {
            const limit = g.update(s);
            expect(limit).toBeGreaterThanOrEqual(minLimit);
            expect(limit).toBeLessThanOrEqual(maxLimit);
          }
        },
      ),
    );
  });
});

describe('ExpAvg', () => {
  it('is the plain mean during warm-up, then an EWMA with factor 2/(window+1)', () => {
    const avg = new ExpAvg(3, 2);
    expect(avg.value).toBe(0);
    expect(avg.add(10)).toBe(10);
    expect(avg.add(20)).toBe(15);
    expect(avg.add(35)).toBe(25); // 15·0.5 + 35·0.5
    avg.scale(0.5);
    expect(avg.value).toBe(12.5);
  });
});
