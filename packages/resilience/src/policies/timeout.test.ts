import '../events/resilience-events.js';
import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, ManualClock, type TrellisEvents } from '@trellis/core';
import type { AttemptContext } from './attempt-context.js';
import { PolicyTimeoutError } from './policy-errors.js';
import { Timeout } from './timeout.js';

/** A promise with its resolve and reject functions. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Timeout', () => {
  it('passes through a value or an error that comes in time, and cancels nothing', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 100, { clock });
    await expect(timeout.execute(async () => 'ok')).resolves.toBe('ok');
    await expect(timeout.execute(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(timeout.inFlight).toBe(0);
  });

  it('returns synchronous results and throws synchronous errors as they are', async () => {
    const timeout = new Timeout('t', 100, { clock: new ManualClock() });
    expect(timeout.run(() => 7, undefined, 1, 0)).toBe(7);
    expect(() =>
      timeout.run(
        () => {
          throw new Error('sync');
        },
        undefined,
        1,
        0,
      ),
    ).toThrow('sync');
    await expect(
      timeout.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(timeout.inFlight).toBe(0);
  });

  it('rejects with PolicyTimeoutError at the deadline, not before, and ignores the late result', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('db/query', 100, { clock });
    const work = deferred<string>();
    const result = timeout.execute(() => work.promise);
    let settled = false;
    result.then(
      () => (settled = true),
      () => (settled = true),
    );
    await clock.advanceAsync(99);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    await expect(result).rejects.toBeInstanceOf(PolicyTimeoutError);
    await expect(result).rejects.toMatchObject({
      code: 'RESILIENCE_TIMEOUT',
      details: { policy: 'db/query', timeoutMs: 100 },
    });
    work.resolve('late');
    work.reject(new Error('late'));
    expect(timeout.inFlight).toBe(0);
  });

  it('builds no signal unless the callee reads it; a read signal aborts with the timeout error', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 50, { clock });
    const Original = globalThis.AbortController;
    let built = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        built++;
      }
    };
    await timeout.execute(async (ctx) => ctx.attempt);
    expect(built).toBe(0);
    let seen: AbortSignal | undefined;
    const result = timeout.execute((ctx) => {
      seen = ctx.signal;
      return new Promise(() => {});
    });
    globalThis.AbortController = Original;
    expect(built).toBe(1);
    clock.advance(50);
    await expect(result).rejects.toBeInstanceOf(PolicyTimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(PolicyTimeoutError);
  });

  it('a signal first read after the timeout is already aborted', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 10, { clock });
    let context: AttemptContext | undefined;
    const result = timeout.execute((ctx) => {
      context = ctx;
      return new Promise(() => {});
    });
    clock.advance(10);
    await expect(result).rejects.toBeInstanceOf(PolicyTimeoutError);
    expect(context?.signal.aborted).toBe(true);
  });

  it("the callee's signal follows the caller's signal too", async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 1_000, { clock });
    const caller = new AbortController();
    let signal: AbortSignal | undefined;
    const result = timeout.execute(
      (ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
      { signal: caller.signal },
    );
    result.catch(() => {});
    expect(signal?.aborted).toBe(false);
    caller.abort(new Error('caller gave up'));
    expect(signal?.aborted).toBe(true);
    timeout.dispose();
  });

  it('keeps one timer for any number of attempts in flight, expiring each at its own deadline', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 100, { clock });
    const outcomes: string[] = [];
    const start = (label: string, work: Promise<string>) =>
      timeout
        .execute(() => work)
        .then(
          (v) => void outcomes.push(`${label}:${v}`),
          (e: Error) => void outcomes.push(`${label}:${e.name}`),
        );
    const b = deferred<string>();
    const a = start('a', new Promise(() => {}));
    await clock.advanceAsync(30);
    const bDone = start('b', b.promise);
    await clock.advanceAsync(30);
    const c = start('c', new Promise(() => {}));
    expect(timeout.inFlight).toBe(3);
    expect(clock.pendingTimers).toBe(1);
    b.resolve('ok');
    await bDone;
    await clock.advanceAsync(40);
    await a;
    expect(outcomes).toEqual(['b:ok', 'a:PolicyTimeoutError']);
    // The shared timer re-armed for c's deadline (started at 60 → due at 160).
    expect(clock.pendingTimers).toBe(1);
    await clock.advanceAsync(59);
    expect(outcomes).toHaveLength(2);
    await clock.advanceAsync(1);
    await c;
    expect(outcomes).toEqual(['b:ok', 'a:PolicyTimeoutError', 'c:PolicyTimeoutError']);
    expect(timeout.inFlight).toBe(0);
  });

  it('unlinks attempts from the middle, the head and the tail of its list', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 100, { clock });
    const works = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const results = works.map((w) => timeout.execute(() => w.promise));
    works[1]?.resolve(1);
    works[3]?.resolve(3);
    works[0]?.resolve(0);
    await Promise.all([results[0], results[1], results[3]]);
    expect(timeout.inFlight).toBe(1);
    works[2]?.resolve(2);
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3]);
    expect(timeout.inFlight).toBe(0);
    // The timer fires once, finds nothing due, and does not re-arm.
    await clock.advanceAsync(100);
    expect(clock.pendingTimers).toBe(0);
  });

  it('emits resilience.timeout only while someone listens', async () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const timeout = new Timeout('t', 10, { clock, bus });
    const quiet = timeout.execute(() => new Promise(() => {}));
    clock.advance(10);
    await expect(quiet).rejects.toBeInstanceOf(PolicyTimeoutError);
    expect(emit).not.toHaveBeenCalled();
    const heard: unknown[] = [];
    bus.on('resilience.timeout', (e) => void heard.push(e));
    const loud = timeout.execute(() => new Promise(() => {}));
    clock.advance(10);
    await expect(loud).rejects.toBeInstanceOf(PolicyTimeoutError);
    expect(heard).toEqual([{ policy: 't', timeoutMs: 10 }]);
  });

  it('dispose() times out every attempt in flight at once', async () => {
    const clock = new ManualClock();
    const timeout = new Timeout('t', 1_000, { clock });
    const results = [
      timeout.execute(() => new Promise(() => {})),
      timeout.execute(() => new Promise(() => {})),
    ];
    timeout.dispose();
    for (const result of results) await expect(result).rejects.toBeInstanceOf(PolicyTimeoutError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('works on the system clock by default', async () => {
    const timeout = new Timeout('t', 60_000);
    await expect(timeout.execute(async () => 'ok')).resolves.toBe('ok');
    timeout.dispose();
  });
});
