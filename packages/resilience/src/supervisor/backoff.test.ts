import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { restartDelay } from './backoff.js';

const defaults = { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0 };

describe('restartDelay', () => {
  it('doubles from initialMs up to maxMs without jitter', () => {
    const delays = Array.from({ length: 12 }, (_, i) => restartDelay(i + 1, defaults));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
  });

  it('takes up to `jitter` of the delay off, using the injected random', () => {
    expect(restartDelay(1, { ...defaults, jitter: 0.2 }, () => 0)).toBe(100);
    expect(restartDelay(1, { ...defaults, jitter: 0.2 }, () => 0.5)).toBe(90);
    expect(restartDelay(4, { ...defaults, jitter: 1 }, () => 0.75)).toBe(200);
  });

  it('never overflows for huge attempts and handles a zero initial delay', () => {
    expect(restartDelay(10_000, defaults)).toBe(30_000);
    expect(restartDelay(5, { ...defaults, initialMs: 0 })).toBe(0);
    expect(restartDelay(0, defaults)).toBe(100);
  });

  it('clamps out-of-range random draws and jitter', () => {
    expect(restartDelay(1, { ...defaults, jitter: 2 }, () => 5)).toBe(0);
    expect(restartDelay(1, { ...defaults, jitter: -1 }, () => -5)).toBe(100);
  });

  const options = fc
    .record({
      initialMs: fc.integer({ min: 0, max: 10_000 }),
      extra: fc.integer({ min: 0, max: 100_000 }),
      multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
      jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ extra, ...o }) => ({ ...o, maxMs: o.initialMs + extra }));
  const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
  // A fixed seed keeps the suite deterministic; change it locally to explore other cases.
  const run = { seed: 20_240_601, numRuns: 500 };

  it('property: every delay stays within [ceiling × (1 − jitter), ceiling] and never exceeds maxMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), options, draw, (attempt, o, r) => {
        const delay = restartDelay(attempt, o, () => r);
        const ceiling =
          o.initialMs === 0 ? 0 : Math.min(o.maxMs, o.initialMs * o.multiplier ** (attempt - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(o.maxMs);
        expect(delay).toBeLessThanOrEqual(Math.round(ceiling));
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - o.jitter)));
      }),
      run,
    );
  });

  it('property: for the same random draw, delays never shrink as attempts grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), options, draw, (attempt, o, r) => {
        expect(restartDelay(attempt + 1, o, () => r)).toBeGreaterThanOrEqual(
          restartDelay(attempt, o, () => r),
        );
      }),
      run,
    );
  });

  it('property: without jitter, delays grow by the multiplier until the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), options, (attempt, o) => {
        const plain = { ...o, jitter: 0 };
        const now = restartDelay(attempt, plain);
        const next = restartDelay(attempt + 1, plain);
        // Both are rounded to whole ms, so they may differ from an exact product by rounding only.
        if (next < o.maxMs)
          expect(Math.abs(next - now * o.multiplier)).toBeLessThanOrEqual(o.multiplier / 2 + 0.5);
        else expect(next).toBe(o.maxMs);
      }),
      run,
    );
  });
});
