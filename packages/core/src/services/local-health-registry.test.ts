import { describe, expect, it, jest } from '@jest/globals';
import { HealthCheckDuplicateError } from '../errors.js';
import { DeadlineExceededError } from '../time/deadline.js';
import { ManualClock } from '../time/manual-clock.js';
import type { HealthCheck, HealthStatus } from './health-registry.js';
import { LocalHealthRegistry } from './local-health-registry.js';

const returning =
  (status: HealthStatus): HealthCheck =>
  () =>
    status;

describe('LocalHealthRegistry', () => {
  describe('aggregation', () => {
    it('passes with no checks registered', async () => {
      const report = await new LocalHealthRegistry().check();
      expect(report.status).toBe('pass');
      expect(report.checks).toEqual({});
    });

    it('passes when every check passes', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('pass'));
      registry.register('cache', returning('pass'), { critical: false });
      expect((await registry.check()).status).toBe('pass');
    });

    it('warns when a check warns', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('pass'));
      registry.register('disk', returning('warn'));
      expect((await registry.check()).status).toBe('warn');
    });

    it('fails when a critical check fails', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('fail'));
      registry.register('disk', returning('warn'), { critical: false });
      expect((await registry.check()).status).toBe('fail');
    });

    it('only warns when a non-critical check fails', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('pass'));
      registry.register('recommendations', returning('fail'), { critical: false });
      expect((await registry.check()).status).toBe('warn');
    });

    it('treats checks as critical by default', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('fail'));
      const report = await registry.check();
      expect(report.checks.db?.critical).toBe(true);
      expect(report.status).toBe('fail');
    });
  });

  describe('results', () => {
    it('reports each check under its name with critical and durationMs', async () => {
      const registry = new LocalHealthRegistry({ clock: new ManualClock() });
      registry.register('db', returning('pass'));
      registry.register('queue', returning('warn'), { critical: false });
      const report = await registry.check();
      expect(report.checks).toEqual({
        db: { status: 'pass', critical: true, durationMs: 0 },
        queue: { status: 'warn', critical: false, durationMs: 0 },
      });
    });

    it('treats a check that returns nothing as passing', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', () => undefined);
      expect((await registry.check()).checks.db?.status).toBe('pass');
    });

    it('accepts a status string and wraps it in a result', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', async () => 'warn' as const);
      expect((await registry.check()).checks.db).toMatchObject({ status: 'warn' });
      expect((await registry.check()).checks.db).not.toHaveProperty('message');
    });

    it('keeps the message and details of a result object', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', () => ({ status: 'warn', message: 'replica lag', details: { lagMs: 900 } }));
      expect((await registry.check()).checks.db).toMatchObject({
        status: 'warn',
        message: 'replica lag',
        details: { lagMs: 900 },
      });
    });

    it('fails a check that throws, with the error message', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', () => {
        throw new Error('connection refused');
      });
      const report = await registry.check();
      expect(report.checks.db).toMatchObject({ status: 'fail', message: 'connection refused' });
      expect(report.status).toBe('fail');
    });

    it('fails a check that rejects, with the error message', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', async () => Promise.reject(new Error('timeout from driver')));
      expect((await registry.check()).checks.db).toMatchObject({
        status: 'fail',
        message: 'timeout from driver',
      });
    });

    it('describes a thrown non-Error value', async () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', () => {
        throw { reason: 'down' };
      });
      expect((await registry.check()).checks.db?.message).toBe('{"reason":"down"}');
    });

    it('passes an AbortSignal that is not aborted to a check that succeeds', async () => {
      const registry = new LocalHealthRegistry();
      let received: AbortSignal | undefined;
      registry.register('db', (signal) => {
        received = signal;
      });
      await registry.check();
      expect(received).toBeInstanceOf(AbortSignal);
      expect(received?.aborted).toBe(false);
    });

    it('aborts the signal of a check that fails', async () => {
      const registry = new LocalHealthRegistry();
      let received: AbortSignal | undefined;
      const error = new Error('broken');
      registry.register('db', (signal) => {
        received = signal;
        throw error;
      });
      await registry.check();
      expect(received?.aborted).toBe(true);
      expect(received?.reason).toBe(error);
    });

    it('runs checks concurrently', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      const slow: HealthCheck = () => new Promise((resolve) => clock.setTimeout(() => resolve('pass'), 100));
      registry.register('a', slow);
      registry.register('b', slow);
      const checking = registry.check();
      await clock.advanceAsync(100);
      const report = await checking;
      expect(report.durationMs).toBe(100);
      expect(report.checks.a?.durationMs).toBe(100);
      expect(report.checks.b?.durationMs).toBe(100);
    });

    it('stamps the report with checkedAt from the clock', async () => {
      const registry = new LocalHealthRegistry({ clock: new ManualClock(42_000) });
      expect((await registry.check()).checkedAt).toBe(42_000);
    });

    it('runs every check again on each call', async () => {
      const registry = new LocalHealthRegistry();
      const check = jest.fn(() => 'pass' as const);
      registry.register('db', check);
      await registry.check();
      await registry.check();
      expect(check).toHaveBeenCalledTimes(2);
    });
  });

  describe('timeouts', () => {
    it('fails a check that outlives its timeout, saying it timed out', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      registry.register('db', () => new Promise<never>(() => {}), { timeoutMs: 500 });
      const checking = registry.check();
      await clock.advanceAsync(500);
      const report = await checking;
      expect(report.status).toBe('fail');
      expect(report.checks.db).toMatchObject({ status: 'fail', durationMs: 500 });
      expect(report.checks.db?.message).toContain('health check "db" did not finish within 500 ms');
      expect(report.checks.db?.message).toContain('timeout');
    });

    it('aborts the signal of a check that timed out, with a DeadlineExceededError', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      let received: AbortSignal | undefined;
      registry.register(
        'db',
        (signal) => {
          received = signal;
          return new Promise<never>(() => {});
        },
        { timeoutMs: 100 },
      );
      const checking = registry.check();
      await clock.advanceAsync(100);
      await checking;
      expect(received?.aborted).toBe(true);
      expect(received?.reason).toBeInstanceOf(DeadlineExceededError);
    });

    it('does not time out a check that finishes inside its timeout', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      registry.register('db', () => new Promise((resolve) => clock.setTimeout(() => resolve('pass'), 99)), {
        timeoutMs: 100,
      });
      const checking = registry.check();
      await clock.advanceAsync(100);
      expect((await checking).checks.db?.status).toBe('pass');
      expect(clock.pendingTimers).toBe(0);
    });

    it('defaults the timeout to 2,000 ms', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      registry.register('db', () => new Promise<never>(() => {}));
      const checking = registry.check();
      await clock.advanceAsync(1_999);
      expect(clock.pendingTimers).toBe(1);
      await clock.advanceAsync(1);
      expect((await checking).checks.db?.message).toContain('within 2000 ms');
    });

    it('a timeout in a non-critical check only degrades the report', async () => {
      const clock = new ManualClock();
      const registry = new LocalHealthRegistry({ clock });
      registry.register('db', returning('pass'));
      registry.register('slow', () => new Promise<never>(() => {}), { timeoutMs: 10, critical: false });
      const checking = registry.check();
      await clock.advanceAsync(10);
      expect((await checking).status).toBe('warn');
    });
  });

  describe('registration', () => {
    it('throws HEALTH_CHECK_DUPLICATE when a name is taken', () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('pass'));
      expect(() => registry.register('db', returning('pass'))).toThrow(HealthCheckDuplicateError);
      expect(() => registry.register('db', returning('pass'))).toThrow(
        expect.objectContaining({ code: 'HEALTH_CHECK_DUPLICATE', message: expect.stringContaining('"db"') }),
      );
    });

    it('lists names in registration order', () => {
      const registry = new LocalHealthRegistry();
      registry.register('b', returning('pass'));
      registry.register('a', returning('pass'));
      registry.register('c', returning('pass'));
      expect(registry.names()).toEqual(['b', 'a', 'c']);
    });

    it('dispose removes the check', async () => {
      const registry = new LocalHealthRegistry();
      const registration = registry.register('db', returning('fail'));
      registration.dispose();
      expect(registry.names()).toEqual([]);
      expect((await registry.check()).status).toBe('pass');
    });

    it('frees the name on dispose, so it can be registered again', () => {
      const registry = new LocalHealthRegistry();
      registry.register('db', returning('pass')).dispose();
      expect(() => registry.register('db', returning('pass'))).not.toThrow();
    });

    it('a stale disposer does not remove a newer check with the same name', () => {
      const registry = new LocalHealthRegistry();
      const old = registry.register('db', returning('pass'));
      old.dispose();
      registry.register('db', returning('warn'));
      old.dispose();
      expect(registry.names()).toEqual(['db']);
    });
  });
});

describe('LocalHealthRegistry probes', () => {
  it('runs only the checks of the asked probe, readiness by default', async () => {
    const registry = new LocalHealthRegistry();
    registry.register('db', () => 'pass');
    registry.register('loop', () => 'fail', { probes: ['liveness'] });
    registry.register('warmup', () => 'warn', { probes: ['startup', 'readiness'], critical: false });
    expect(Object.keys((await registry.check('readiness')).checks)).toEqual(['db', 'warmup']);
    expect((await registry.check('liveness')).status).toBe('fail');
    expect(Object.keys((await registry.check('startup')).checks)).toEqual(['warmup']);
    expect(Object.keys((await registry.check()).checks)).toEqual(['db', 'loop', 'warmup']);
  });
});
