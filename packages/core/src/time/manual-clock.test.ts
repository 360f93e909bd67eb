import { describe, expect, it, jest } from '@jest/globals';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  describe('now', () => {
    it('starts at 0 by default', () => {
      expect(new ManualClock().now()).toBe(0);
    });

    it('starts at the given time', () => {
      expect(new ManualClock(1_700_000_000_000).now()).toBe(1_700_000_000_000);
    });

    it('does not move by itself while the event loop turns', async () => {
      const clock = new ManualClock(10);
      await new Promise((resolve) => setImmediate(resolve));
      expect(clock.now()).toBe(10);
    });

    it('moves forward by the amount advanced', () => {
      const clock = new ManualClock(10);
      clock.advance(5);
      clock.advance(20);
      expect(clock.now()).toBe(35);
    });
  });

  describe('advance', () => {
    it('runs a timer once its time is reached', () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      clock.setTimeout(callback, 100);
      clock.advance(99);
      expect(callback).not.toHaveBeenCalled();
      clock.advance(1);
      expect(callback).toHaveBeenCalledTimes(1);
    });

    it('runs a timer only once', () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      clock.setTimeout(callback, 10);
      clock.advance(10);
      clock.advance(100);
      expect(callback).toHaveBeenCalledTimes(1);
    });

    it('runs due timers in order of due time, not of scheduling', () => {
      const clock = new ManualClock();
      const order: string[] = [];
      clock.setTimeout(() => order.push('30'), 30);
      clock.setTimeout(() => order.push('10'), 10);
      clock.setTimeout(() => order.push('20'), 20);
      clock.advance(100);
      expect(order).toEqual(['10', '20', '30']);
    });

    it('runs timers due at the same time in scheduling order', () => {
      const clock = new ManualClock();
      const order: string[] = [];
      clock.setTimeout(() => order.push('first'), 10);
      clock.setTimeout(() => order.push('second'), 10);
      clock.advance(10);
      expect(order).toEqual(['first', 'second']);
    });

    it('sets now to each timer due time while it runs', () => {
      const clock = new ManualClock(1_000);
      const seen: number[] = [];
      clock.setTimeout(() => seen.push(clock.now()), 10);
      clock.setTimeout(() => seen.push(clock.now()), 25);
      clock.advance(100);
      expect(seen).toEqual([1_010, 1_025]);
      expect(clock.now()).toBe(1_100);
    });

    it('runs timers scheduled by timers when they fall due within the same advance', () => {
      const clock = new ManualClock();
      const order: string[] = [];
      clock.setTimeout(() => {
        order.push('outer@10');
        clock.setTimeout(() => order.push('inner@15'), 5);
      }, 10);
      clock.setTimeout(() => order.push('other@20'), 20);
      clock.advance(20);
      expect(order).toEqual(['outer@10', 'inner@15', 'other@20']);
    });

    it('leaves a timer scheduled by a timer pending when it falls due after the advance', () => {
      const clock = new ManualClock();
      const inner = jest.fn();
      clock.setTimeout(() => clock.setTimeout(inner, 50), 10);
      clock.advance(20);
      expect(inner).not.toHaveBeenCalled();
      expect(clock.pendingTimers).toBe(1);
      clock.advance(40);
      expect(inner).toHaveBeenCalledTimes(1);
    });

    it('treats a negative delay as 0', () => {
      const clock = new ManualClock(100);
      const callback = jest.fn();
      clock.setTimeout(callback, -50);
      clock.advance(0);
      expect(callback).toHaveBeenCalledTimes(1);
    });

    it('runs a zero-delay timer on advance(0), not when scheduled', () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      clock.setTimeout(callback, 0);
      expect(callback).not.toHaveBeenCalled();
      clock.advance(0);
      expect(callback).toHaveBeenCalledTimes(1);
    });
  });

  describe('cancel and pendingTimers', () => {
    it('counts timers waiting to fire', () => {
      const clock = new ManualClock();
      clock.setTimeout(() => {}, 10);
      clock.setTimeout(() => {}, 20);
      expect(clock.pendingTimers).toBe(2);
      clock.advance(10);
      expect(clock.pendingTimers).toBe(1);
      clock.advance(10);
      expect(clock.pendingTimers).toBe(0);
    });

    it('cancel prevents the callback and removes the timer', () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      const handle = clock.setTimeout(callback, 10);
      handle.cancel();
      expect(clock.pendingTimers).toBe(0);
      clock.advance(100);
      expect(callback).not.toHaveBeenCalled();
    });

    it('cancel leaves other timers alone', () => {
      const clock = new ManualClock();
      const kept = jest.fn();
      clock.setTimeout(kept, 10);
      clock.setTimeout(() => {}, 10).cancel();
      clock.advance(10);
      expect(kept).toHaveBeenCalledTimes(1);
    });

    it('cancel after the callback ran is harmless', () => {
      const clock = new ManualClock();
      const handle = clock.setTimeout(() => {}, 10);
      const other = jest.fn();
      clock.setTimeout(other, 20);
      clock.advance(10);
      handle.cancel();
      clock.advance(10);
      expect(other).toHaveBeenCalledTimes(1);
    });

    it('a timer can cancel a later timer', () => {
      const clock = new ManualClock();
      const later = jest.fn();
      const handle = clock.setTimeout(later, 20);
      clock.setTimeout(() => handle.cancel(), 10);
      clock.advance(30);
      expect(later).not.toHaveBeenCalled();
    });

    it('unref returns the same handle and keeps the timer', () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      const handle = clock.setTimeout(callback, 10);
      expect(handle.unref()).toBe(handle);
      clock.advance(10);
      expect(callback).toHaveBeenCalledTimes(1);
    });
  });

  describe('advanceAsync', () => {
    it('lets an awaited chain run between timers', async () => {
      const clock = new ManualClock();
      const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
      const steps: number[] = [];
      const work = (async () => {
        await sleep(10);
        steps.push(clock.now());
        // Scheduled only after the first sleep resolved and several awaits ran.
        await Promise.resolve();
        await sleep(10);
        steps.push(clock.now());
      })();
      await clock.advanceAsync(20);
      await work;
      expect(steps).toEqual([10, 20]);
    });

    it('runs a timer scheduled after awaits that follow the advance call', async () => {
      const clock = new ManualClock();
      const callback = jest.fn();
      void (async () => {
        await Promise.resolve();
        await Promise.resolve();
        clock.setTimeout(callback, 5);
      })();
      await clock.advanceAsync(5);
      expect(callback).toHaveBeenCalledTimes(1);
    });

    it('advance, unlike advanceAsync, does not wait for awaited chains', async () => {
      const clock = new ManualClock();
      const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
      const second = jest.fn();
      void (async () => {
        await sleep(10);
        await sleep(10);
        second();
      })();
      clock.advance(20);
      await new Promise((resolve) => setImmediate(resolve));
      expect(second).not.toHaveBeenCalled();
      expect(clock.pendingTimers).toBe(1);
    });

    it('ends at the target time even without timers', async () => {
      const clock = new ManualClock(5);
      await clock.advanceAsync(95);
      expect(clock.now()).toBe(100);
    });

    it('runs due timers in order and not later ones', async () => {
      const clock = new ManualClock();
      const order: number[] = [];
      clock.setTimeout(() => order.push(20), 20);
      clock.setTimeout(() => order.push(10), 10);
      clock.setTimeout(() => order.push(99), 99);
      await clock.advanceAsync(50);
      expect(order).toEqual([10, 20]);
      expect(clock.pendingTimers).toBe(1);
    });
  });
});
