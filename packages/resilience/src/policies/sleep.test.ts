import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('resolves after the delay on the given clock, with or without a signal', async () => {
    const clock = new ManualClock();
    let done = 0;
    void sleep(clock, 10).then(() => done++);
    void sleep(clock, 10, new AbortController().signal).then(() => done++);
    await clock.advanceAsync(9);
    expect(done).toBe(0);
    await clock.advanceAsync(1);
    expect(done).toBe(2);
  });

  it('rejects with the reason when the signal aborts before or during the wait, and cancels its timer', async () => {
    const clock = new ManualClock();
    await expect(sleep(clock, 10, AbortSignal.abort(new Error('before')))).rejects.toThrow('before');
    const controller = new AbortController();
    const waiting = sleep(clock, 10, controller.signal);
    controller.abort(new Error('during'));
    await expect(waiting).rejects.toThrow('during');
    expect(clock.pendingTimers).toBe(0);
  });
});
