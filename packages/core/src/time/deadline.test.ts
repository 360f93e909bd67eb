import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '../errors/trellis-error.js';
import { DeadlineExceededError, withDeadline } from './deadline.js';
import { ManualClock } from './manual-clock.js';

/** A promise with its resolve and reject functions. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withDeadline', () => {
  it('resolves with the value of work that finishes in time', async () => {
    const clock = new ManualClock();
    await expect(withDeadline(Promise.resolve('done'), { ms: 100, clock, what: 'work' })).resolves.toBe(
      'done',
    );
  });

  it('resolves with work that finishes just before the deadline', async () => {
    const clock = new ManualClock();
    const work = new Promise<string>((resolve) => clock.setTimeout(() => resolve('late but ok'), 99));
    const result = withDeadline(work, { ms: 100, clock, what: 'work' });
    await clock.advanceAsync(100);
    await expect(result).resolves.toBe('late but ok');
  });

  it('rejects with the error of work that fails', async () => {
    const clock = new ManualClock();
    const error = new Error('work failed');
    await expect(withDeadline(Promise.reject(error), { ms: 100, clock, what: 'work' })).rejects.toBe(error);
  });

  it('rejects with DeadlineExceededError when the work outlives the deadline', async () => {
    const clock = new ManualClock();
    const result = withDeadline(new Promise<never>(() => {}), {
      ms: 250,
      clock,
      what: 'module "cache" stop',
    });
    clock.advance(250);
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('does not reject before the deadline', async () => {
    const clock = new ManualClock();
    const work = deferred<string>();
    const result = withDeadline(work.promise, { ms: 250, clock, what: 'work' });
    clock.advance(249);
    work.resolve('ok');
    await expect(result).resolves.toBe('ok');
  });

  it('names the work and the deadline in the timeout error', async () => {
    const clock = new ManualClock();
    const result = withDeadline(new Promise<never>(() => {}), {
      ms: 250,
      clock,
      what: 'module "cache" stop',
    });
    clock.advance(250);
    await expect(result).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: expect.stringContaining('module "cache" stop did not finish within 250 ms.'),
      details: { what: 'module "cache" stop', timeoutMs: 250 },
    });
  });

  it('uses the given fix in the timeout error', async () => {
    const clock = new ManualClock();
    const fix = 'Raise startTimeoutMs.';
    const result = withDeadline(new Promise<never>(() => {}), { ms: 5, clock, what: 'start', fix });
    clock.advance(5);
    await expect(result).rejects.toMatchObject({ fix, message: expect.stringContaining(`Fix: ${fix}`) });
  });

  it('ignores the work settling after the deadline passed', async () => {
    const clock = new ManualClock();
    const work = deferred<string>();
    const result = withDeadline(work.promise, { ms: 10, clock, what: 'work' });
    clock.advance(10);
    work.resolve('too late');
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('cancels its timer once the work resolves', async () => {
    const clock = new ManualClock();
    await withDeadline(Promise.resolve(1), { ms: 100, clock, what: 'work' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('cancels its timer once the work rejects', async () => {
    const clock = new ManualClock();
    await withDeadline(Promise.reject(new Error('x')), { ms: 100, clock, what: 'work' }).catch(
      () => undefined,
    );
    expect(clock.pendingTimers).toBe(0);
  });

  it('holds one pending timer while the work runs', () => {
    const clock = new ManualClock();
    void withDeadline(new Promise<never>(() => {}), { ms: 100, clock, what: 'work' }).catch(() => undefined);
    expect(clock.pendingTimers).toBe(1);
  });
});

describe('DeadlineExceededError', () => {
  it('is a TrellisError with code DEADLINE_EXCEEDED', () => {
    const error = new DeadlineExceededError('job', 30);
    expect(error).toBeInstanceOf(TrellisError);
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.name).toBe('DeadlineExceededError');
  });

  it('suggests a default fix naming the work', () => {
    const error = new DeadlineExceededError('job', 30);
    expect(error.fix).toBe('Make job finish sooner, or raise its timeout.');
    expect(error.message).toBe(
      'job did not finish within 30 ms. Fix: Make job finish sooner, or raise its timeout.',
    );
  });
});
