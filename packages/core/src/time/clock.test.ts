import { describe, expect, it, jest } from '@jest/globals';
import { systemClock } from './clock.js';

/** Waits for real time, a few ms; only this file uses real timers. */
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('systemClock', () => {
  it('now reads Date.now()', () => {
    const spy = jest.spyOn(Date, 'now').mockReturnValue(1_234);
    try {
      expect(systemClock.now()).toBe(1_234);
    } finally {
      spy.mockRestore();
    }
  });

  it('setTimeout runs the callback after the delay', async () => {
    const callback = jest.fn();
    systemClock.setTimeout(callback, 1);
    expect(callback).not.toHaveBeenCalled();
    await wait(20);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('cancel prevents the callback', async () => {
    const callback = jest.fn();
    systemClock.setTimeout(callback, 1).cancel();
    await wait(20);
    expect(callback).not.toHaveBeenCalled();
  });

  it('cancel after the callback ran is harmless', async () => {
    const callback = jest.fn();
    const handle = systemClock.setTimeout(callback, 1);
    await wait(20);
    expect(() => handle.cancel()).not.toThrow();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('unref returns the handle and the timer still fires', async () => {
    const callback = jest.fn();
    const handle = systemClock.setTimeout(callback, 1);
    expect(handle.unref()).toBe(handle);
    await wait(20);
    expect(callback).toHaveBeenCalledTimes(1);
  });
});
