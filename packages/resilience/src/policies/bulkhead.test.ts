import { describe, expect, it } from '@jest/globals';
import { Bulkhead } from './bulkhead.js';

describe('Bulkhead', () => {
  it('admits up to `limit` calls synchronously, then refuses when no queue room', () => {
    const bulkhead = new Bulkhead({ limit: 2, queue: 0 });
    expect(bulkhead.tryEnter()).toBe(true);
    expect(bulkhead.tryEnter()).toBe(true);
    expect(bulkhead.tryEnter()).toBe(false);
    expect(bulkhead.canQueue()).toBe(false);
    expect(bulkhead.active).toBe(2);
    bulkhead.leave();
    expect(bulkhead.active).toBe(1);
  });

  it('hands freed slots to waiters in FIFO order', async () => {
    const bulkhead = new Bulkhead({ limit: 1, queue: 3 });
    bulkhead.tryEnter();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => bulkhead.wait().then(() => void order.push(n)));
    expect(bulkhead.queued).toBe(3);
    expect(bulkhead.canQueue()).toBe(false);
    for (let i = 0; i < 3; i++) {
      bulkhead.leave();
      await waits[i];
    }
    expect(order).toEqual([1, 2, 3]);
    expect(bulkhead.active).toBe(1);
    expect(bulkhead.queued).toBe(0);
    bulkhead.leave();
    expect(bulkhead.active).toBe(0);
  });

  it('drops a waiter whose signal aborts, and refuses an already aborted one', async () => {
    const bulkhead = new Bulkhead({ limit: 1, queue: 2 });
    bulkhead.tryEnter();
    const controller = new AbortController();
    const aborted = bulkhead.wait(controller.signal);
    const kept = bulkhead.wait(new AbortController().signal);
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    expect(bulkhead.queued).toBe(1);
    bulkhead.leave();
    await expect(kept).resolves.toBeUndefined();
    await expect(bulkhead.wait(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
  });

  it('compacts its queue after many hand-overs', async () => {
    const bulkhead = new Bulkhead({ limit: 1, queue: 5_000 });
    bulkhead.tryEnter();
    const waits = Array.from({ length: 3_000 }, () => bulkhead.wait());
    for (let i = 0; i < 2_000; i++) bulkhead.leave();
    await Promise.all(waits.slice(0, 2_000));
    expect(bulkhead.queued).toBe(1_000);
    for (let i = 0; i < 1_000; i++) bulkhead.leave();
    await Promise.all(waits);
    expect(bulkhead.queued).toBe(0);
  });
});
