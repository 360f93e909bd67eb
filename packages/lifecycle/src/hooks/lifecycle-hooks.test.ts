import { describe, expect, it } from '@jest/globals';
import { DeadlineExceededError, ManualClock, TrellisError } from '@trellis/core';
import { HookOptionsInvalidError, HookVetoedError } from '../errors.js';
import { type HookFailure, LifecycleHooks } from './lifecycle-hooks.js';

const start = { plugin: 'billing', version: '1.0.0' };
const afterStart = { ...start, outcome: 'ok' as const, durationMs: 3 };

async function rejection(promise: Promise<unknown>): Promise<TrellisError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HookVetoedError);
    return error as TrellisError;
  }
  throw new Error('expected a rejection');
}

describe('LifecycleHooks.runBefore', () => {
  it('resolves with no handlers, returning the same settled promise every time', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    const first = hooks.runBefore('beforeStart', start);
    expect(hooks.runBefore('beforeStop', start)).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });

  it('runs handlers in registration order with the payload', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    const calls: string[] = [];
    hooks.on('beforeStart', (p) => {
      calls.push(`one:${p.plugin}@${p.version}`);
    });
    hooks.on('beforeStart', async (p) => {
      calls.push(`two:${p.plugin}`);
    });
    hooks.on('beforeStart', () => {
      calls.push('three');
      return undefined;
    });
    await hooks.runBefore('beforeStart', start);
    expect(calls).toEqual(['one:billing@1.0.0', 'two:billing', 'three']);
  });

  it('vetoes on a returned { veto }, naming the handler, and skips the later handlers', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    let laterRan = false;
    hooks.on('beforeStop', () => ({ veto: 'invoices in flight' }), { name: 'invoice-guard' });
    hooks.on('beforeStop', () => {
      laterRan = true;
    });
    const error = await rejection(hooks.runBefore('beforeStop', start));
    expect(error.code).toBe('PLUGIN_HOOK_VETOED');
    expect(error.message).toContain(
      'beforeStop for plugin "billing" was vetoed by invoice-guard: invoices in flight',
    );
    expect(error.details).toEqual({
      hook: 'beforeStop',
      plugin: 'billing',
      reason: 'invoices in flight',
      by: 'invoice-guard',
    });
    expect(laterRan).toBe(false);
  });

  it('vetoes on a resolved { veto } from an async handler', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeUpgrade', async ({ to }) => (to === '2.0.0' ? { veto: 'not certified' } : undefined), {
      name: 'certifier',
    });
    await expect(
      hooks.runBefore('beforeUpgrade', { plugin: 'billing', from: '1.0.0', to: '1.1.0' }),
    ).resolves.toBeUndefined();
    const error = await rejection(
      hooks.runBefore('beforeUpgrade', { plugin: 'billing', from: '1.0.0', to: '2.0.0' }),
    );
    expect(error.details).toMatchObject({ reason: 'not certified', by: 'certifier' });
  });

  it('treats a synchronous throw as a veto with the error message as reason', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeStart', function licenceCheck() {
      throw new Error('licence expired');
    });
    const error = await rejection(hooks.runBefore('beforeStart', start));
    expect(error.details).toMatchObject({ reason: 'licence expired', by: 'licenceCheck' });
  });

  it('treats a rejection as a veto', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeStart', async () => {
      throw new Error('quota service down');
    });
    const error = await rejection(hooks.runBefore('beforeStart', start));
    expect(error.details).toMatchObject({ reason: 'quota service down', by: 'beforeStart handler #1' });
  });

  it('gives an empty veto a reason', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeStart', () => ({ veto: '' }), { name: 'terse' });
    const error = await rejection(hooks.runBefore('beforeStart', start));
    expect(error.details).toMatchObject({ reason: '(no reason given)' });
  });

  it('ignores return values that are not vetoes', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeStart', (() => ({ veto: 42 })) as never);
    hooks.on('beforeStart', (() => 'fine') as never);
    await expect(hooks.runBefore('beforeStart', start)).resolves.toBeUndefined();
  });

  it('vetoes when a handler misses its deadline, and not before', async () => {
    const clock = new ManualClock();
    const hooks = new LifecycleHooks({ clock, defaultTimeoutMs: 1_000 });
    hooks.on('beforeStart', () => new Promise<undefined>(() => {}), { name: 'slow', timeoutMs: 200 });
    let settled = false;
    const running = hooks.runBefore('beforeStart', start).finally(() => {
      settled = true;
    });
    running.catch(() => {});
    await clock.advanceAsync(199);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    const error = await rejection(running);
    expect(error.details).toMatchObject({ by: 'slow', reason: 'it timed out after 200 ms' });
  });

  it('applies the default deadline of 5,000 ms', async () => {
    const clock = new ManualClock();
    const hooks = new LifecycleHooks({ clock });
    hooks.on('beforeStop', () => new Promise<undefined>(() => {}), { name: 'stuck' });
    let settled = false;
    const running = hooks.runBefore('beforeStop', start).finally(() => {
      settled = true;
    });
    running.catch(() => {});
    await clock.advanceAsync(4_999);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    expect((await rejection(running)).details).toMatchObject({ reason: 'it timed out after 5000 ms' });
  });

  it('does not mistake a handler that rejects with its own DeadlineExceededError for a timeout', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    hooks.on('beforeStart', async () => {
      throw new DeadlineExceededError('upstream call', 10);
    });
    const error = await rejection(hooks.runBefore('beforeStart', start));
    expect((error.details as { reason: string }).reason).toMatch(
      /^upstream call did not finish within 10 ms/,
    );
  });

  it('never times out a handler registered with timeoutMs Infinity', async () => {
    const clock = new ManualClock();
    const hooks = new LifecycleHooks({ clock });
    let release: () => void = () => {};
    hooks.on('beforeStart', () => new Promise<undefined>((resolve) => (release = () => resolve(undefined))), {
      timeoutMs: Number.POSITIVE_INFINITY,
    });
    const running = hooks.runBefore('beforeStart', start);
    await clock.advanceAsync(1_000_000);
    expect(clock.pendingTimers).toBe(0);
    release();
    await expect(running).resolves.toBeUndefined();
  });

  it('cancels the deadline timer of a handler that finishes in time', async () => {
    const clock = new ManualClock();
    const hooks = new LifecycleHooks({ clock });
    hooks.on('beforeStart', async () => undefined);
    await hooks.runBefore('beforeStart', start);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('LifecycleHooks.on', () => {
  it('returns a disposer that removes only its own handler', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    const calls: string[] = [];
    const a = hooks.on('beforeStart', () => {
      calls.push('a');
    });
    hooks.on('beforeStart', () => {
      calls.push('b');
    });
    expect(hooks.handlerCount('beforeStart')).toBe(2);
    a.dispose();
    a.dispose();
    expect(hooks.handlerCount('beforeStart')).toBe(1);
    await hooks.runBefore('beforeStart', start);
    expect(calls).toEqual(['b']);
  });

  it('goes back to the no-handler fast path once the last handler is disposed', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    const idle = hooks.runBefore('beforeStart', start);
    hooks.on('beforeStart', () => undefined).dispose();
    expect(hooks.handlerCount('beforeStart')).toBe(0);
    expect(hooks.runBefore('beforeStart', start)).toBe(idle);
  });

  it('lets a handler that unregisters itself during a run finish that run', async () => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    const calls: string[] = [];
    const self = hooks.on('beforeStart', () => {
      calls.push('self');
      self.dispose();
    });
    hooks.on('beforeStart', () => {
      calls.push('next');
    });
    await hooks.runBefore('beforeStart', start);
    await hooks.runBefore('beforeStart', start);
    expect(calls).toEqual(['self', 'next', 'next']);
  });

  it.each([0, -5, Number.NaN])('rejects timeoutMs %p', (timeoutMs) => {
    const hooks = new LifecycleHooks({ clock: new ManualClock() });
    expect(() => hooks.on('beforeStart', () => undefined, { timeoutMs })).toThrow(HookOptionsInvalidError);
    expect(hooks.handlerCount('beforeStart')).toBe(0);
  });

  it('rejects an invalid defaultTimeoutMs with code PLUGIN_HOOK_OPTIONS_INVALID', () => {
    let error: unknown;
    try {
      new LifecycleHooks({ defaultTimeoutMs: 0 });
    } catch (e) {
      error = e;
    }
    expect(TrellisError.is(error, 'PLUGIN_HOOK_OPTIONS_INVALID')).toBe(true);
    expect((error as TrellisError).details).toMatchObject({ option: 'defaultTimeoutMs', value: 0 });
  });
});

describe('LifecycleHooks.runAfter', () => {
  it('resolves to no failures when nobody listens', async () => {
    const hooks = new LifecycleHooks();
    await expect(hooks.runAfter('afterStart', afterStart)).resolves.toEqual([]);
  });

  it('runs every handler with the outcome, collecting failures instead of throwing', async () => {
    const reported: HookFailure[] = [];
    const hooks = new LifecycleHooks({ clock: new ManualClock(), onHookError: (f) => reported.push(f) });
    const seen: unknown[] = [];
    const syncError = new Error('sync failure');
    const asyncError = new Error('async failure');
    hooks.on(
      'afterStart',
      () => {
        throw syncError;
      },
      { name: 'first' },
    );
    hooks.on(
      'afterStart',
      async () => {
        throw asyncError;
      },
      { name: 'second' },
    );
    hooks.on('afterStart', (payload) => {
      seen.push(payload);
    });

    const failures = await hooks.runAfter('afterStart', afterStart);
    expect(seen).toEqual([afterStart]);
    expect(failures).toEqual([
      { hook: 'afterStart', plugin: 'billing', handler: 'first', error: syncError, timedOut: false },
      { hook: 'afterStart', plugin: 'billing', handler: 'second', error: asyncError, timedOut: false },
    ]);
    expect(reported).toEqual(failures);
  });

  it('reports an after-handler that times out and still runs the next one', async () => {
    const clock = new ManualClock();
    const reported: HookFailure[] = [];
    const hooks = new LifecycleHooks({ clock, onHookError: (f) => reported.push(f) });
    let nextRan = false;
    hooks.on('afterUpgrade', () => new Promise<void>(() => {}), { name: 'hangs', timeoutMs: 50 });
    hooks.on('afterUpgrade', () => {
      nextRan = true;
    });
    const running = hooks.runAfter('afterUpgrade', {
      plugin: 'billing',
      from: '1.0.0',
      to: '2.0.0',
      outcome: 'failed',
      durationMs: 9,
      error: new Error('x'),
    });
    await clock.advanceAsync(50);
    const failures = await running;
    expect(nextRan).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ hook: 'afterUpgrade', handler: 'hangs', timedOut: true });
    const timeout = failures[0]?.error;
    expect(timeout).toBeInstanceOf(DeadlineExceededError);
    expect((timeout as Error).message).toContain(
      'afterUpgrade hook "hangs" for plugin "billing" did not finish within 50 ms',
    );
    expect(reported).toEqual(failures);
  });

  it('ignores vetoes returned by after-handlers', async () => {
    const hooks = new LifecycleHooks();
    hooks.on('afterStop', (() => ({ veto: 'too late' })) as never);
    await expect(hooks.runAfter('afterStop', { ...afterStart, outcome: 'ok' })).resolves.toEqual([]);
  });

  it('never rejects, even when onHookError throws', async () => {
    let reports = 0;
    const hooks = new LifecycleHooks({
      onHookError: () => {
        reports += 1;
        throw new Error('reporter broke');
      },
    });
    hooks.on('afterStop', () => {
      throw new Error('a');
    });
    hooks.on('afterStop', () => {
      throw new Error('b');
    });
    const failures = await hooks.runAfter('afterStop', afterStart);
    expect(failures.map((f) => (f.error as Error).message)).toEqual(['a', 'b']);
    expect(reports).toBe(2);
  });
});
