import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BackoffSequence, backoffDelay, exponentialDelay } from './backoff.js';
import { type BackoffConfig, BackoffSchema } from './policy-schema.js';

const config = (over: Partial<BackoffConfig> = {}): BackoffConfig => BackoffSchema.parse(over);
/** A random source replaying `values` in a loop. */
const replay = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

const configArb = fc
  .record({
    initialMs: fc.integer({ min: 1, max: 60_000 }),
    maxMs: fc.integer({ min: 1, max: 600_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    jitter: fc.constantFrom('full' as const, 'decorrelated' as const, 'none' as const),
  })
  .filter((c) => c.initialMs <= c.maxMs);
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffDelay', () => {
  it('without jitter doubles from initialMs up to maxMs', () => {
    const c = config({ jitter: 'none', initialMs: 100, maxMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, c))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('with full jitter scales the exponential delay by random()', () => {
    const c = config({ jitter: 'full', initialMs: 100 });
    expect(backoffDelay(1, c, () => 0)).toBe(0);
    expect(backoffDelay(1, c, () => 0.5)).toBe(50);
    expect(backoffDelay(3, c, () => 0.999_999)).toBe(400);
  });

  it('with decorrelated jitter draws between initialMs and three times the previous delay', () => {
    const c = config({ jitter: 'decorrelated', initialMs: 100, maxMs: 1_000 });
    expect(backoffDelay(1, c, () => 0)).toBe(100);
    expect(backoffDelay(2, c, () => 0.999_999, 250)).toBe(750);
    expect(backoffDelay(3, c, () => 0.999_999, 900)).toBe(1_000);
  });

  it('survives exponents that overflow', () => {
    expect(exponentialDelay(10_000, config({ multiplier: 10, maxMs: 5_000 }))).toBe(5_000);
  });

  it('property: every delay is a whole number within its jitter bounds', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.integer({ min: 1, max: 200 }),
        randomArb,
        fc.integer({ min: 1, max: 600_000 }),
        (c, n, r, previous) => {
          const delay = backoffDelay(n, c, () => r, previous);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeLessThanOrEqual(c.maxMs);
          if (c.jitter === 'decorrelated') expect(delay).toBeGreaterThanOrEqual(c.initialMs);
          else expect(delay).toBeGreaterThanOrEqual(0);
          if (c.jitter === 'none') expect(delay).toBeGreaterThanOrEqual(Math.min(c.initialMs, c.maxMs));
          if (c.jitter === 'full') expect(delay).toBeLessThanOrEqual(exponentialDelay(n, c));
        },
      ),
    );
  });

  it('property: without jitter the delay never shrinks from one attempt to the next', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 1, max: 100 }), (c, n) => {
        const none = { ...c, jitter: 'none' as const };
        expect(backoffDelay(n + 1, none)).toBeGreaterThanOrEqual(backoffDelay(n, none));
      }),
    );
  });
});

describe('BackoffSequence', () => {
  it('feeds each delay into the next for decorrelated jitter', () => {
    const sequence = new BackoffSequence(
      config({ jitter: 'decorrelated', initialMs: 10, maxMs: 10_000 }),
      replay(0.999_999),
    );
    // Each draw is the top of [10, 3 × previous].
    expect([1, 2, 3, 4].map((n) => sequence.next(n))).toEqual([30, 90, 270, 810]);
  });

  it('replays exactly with the same random source', () => {
    const c = config();
    const a = new BackoffSequence(c, replay(0.1, 0.7, 0.3));
    const b = new BackoffSequence(c, replay(0.1, 0.7, 0.3));
    expect([1, 2, 3].map((n) => a.next(n))).toEqual([1, 2, 3].map((n) => b.next(n)));
    expect(new BackoffSequence(c).next(1)).toBeLessThanOrEqual(100);
  });
});
