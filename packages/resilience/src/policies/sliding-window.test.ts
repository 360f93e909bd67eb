import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SlidingWindow } from './sliding-window.js';

describe('SlidingWindow', () => {
  it('sums what was added within the window and forgets older buckets', () => {
    const window = new SlidingWindow(1_000, 10);
    window.add(0, 1, 0);
    window.add(450, 2, 1);
    expect([window.first(500), window.second(500)]).toEqual([3, 1]);
    // At 1,000 the bucket of t=0 left the window; t=450 is still in.
    expect(window.first(1_000)).toBe(2);
    expect(window.first(1_460)).toBe(0);
  });

  it('clears after a gap longer than the window', () => {
    const window = new SlidingWindow(1_000);
    window.add(100, 5, 5);
    expect(window.second(50_000)).toBe(0);
  });

  it('counts into the newest bucket when the clock steps back', () => {
    const window = new SlidingWindow(1_000);
    window.add(5_000, 1, 0);
    window.add(4_000, 1, 0);
    expect(window.first(5_000)).toBe(2);
  });

  it('clear() forgets everything', () => {
    const window = new SlidingWindow(1_000);
    window.add(0, 3, 3);
    window.clear();
    expect([window.first(0), window.second(0)]).toEqual([0, 0]);
  });

  it('property: the totals equal a brute-force sum over the buckets in the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 60,
        }),
        (steps) => {
          const window = new SlidingWindow(1_000, 10);
          const events: { at: number; n: number }[] = [];
          let now = 0;
          for (const [gap, n] of steps) {
            now += gap;
            window.add(now, n, 0);
            events.push({ at: now, n });
          }
          const bucket = Math.floor(now / 100);
          const expected = events
            .filter((e) => Math.floor(e.at / 100) > bucket - 10)
            .reduce((sum, e) => sum + e.n, 0);
          expect(window.first(now)).toBe(expected);
        },
      ),
    );
  });
});
