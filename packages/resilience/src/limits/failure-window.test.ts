import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FailureWindow } from './failure-window.js';

describe('FailureWindow', () => {
  it('counts requests and failures within the window', () => {
    const window = new FailureWindow(1_000, 10);
    window.record(0, true);
    window.record(50, false);
    window.record(150, true);
    expect(window.requests(150)).toBe(3);
    expect(window.failures(150)).toBe(2);
  });

  it('drops slices as they age out', () => {
    const window = new FailureWindow(1_000, 10);
    window.record(0, true); // slice 0
    window.record(500, true); // slice 5
    expect(window.failures(999)).toBe(2);
    expect(window.failures(1_000)).toBe(1); // slice 0 reused for slice 10
    expect(window.failures(1_500)).toBe(0);
    expect(window.requests(50_000)).toBe(0);
  });

  it('forgets everything on reset', () => {
    const window = new FailureWindow(1_000, 4);
    window.record(10, true);
    window.reset();
    expect(window.requests(10)).toBe(0);
    window.record(10, false);
    expect(window.requests(10)).toBe(1);
  });

  it('agrees with a naive count at slice precision', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), failed: fc.boolean() }), {
          maxLength: 200,
        }),
        (events) => {
          const window = new FailureWindow(1_000, 10);
          const log: { t: number; failed: boolean }[] = [];
          let now = 0;
          for (const { dt, failed } of events) {
            now += dt;
            window.record(now, failed);
            log.push({ t: now, failed });
            // A request counts while its slice is one of the 10 newest slices.
            const live = log.filter((e) => Math.floor(e.t / 100) > Math.floor(now / 100) - 10);
            expect(window.requests(now)).toBe(live.length);
            expect(window.failures(now)).toBe(live.filter((e) => e.failed).length);
          }
        },
      ),
    );
  });
});
