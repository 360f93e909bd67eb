import { describe, expect, it, jest } from '@jest/globals';
import {
  type EventBus,
  type HealthCheck,
  HealthCheckDuplicateError,
  type HealthRegistry,
  LocalEventBus,
  ManualClock,
  TrellisError,
  type TrellisEvents,
} from '@trellis/core';
import '../events/resilience-events.js';
import { ResilienceHealthRegistry } from './resilience-health-registry.js';

type Changed = TrellisEvents['health.changed'];

function setup(options: { cacheMs?: number; historySize?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  const bus = new LocalEventBus<TrellisEvents>();
  const changes: Changed[] = [];
  bus.on('health.changed', (change) => void changes.push(change));
  const registry = new ResilienceHealthRegistry({ clock, bus, ...options });
  return { clock, bus, changes, registry };
}

type Answer = ReturnType<HealthCheck>;

/** A check whose result the test sets (a function is called per run), counting its runs. */
function switchable(initial: Answer | (() => Answer) = 'pass') {
  let next: Answer | (() => Answer) = initial;
  const check = jest.fn<HealthCheck>((): Answer => (typeof next === 'function' ? next() : next));
  const set = (value: Answer | (() => Answer)): void => {
    next = value;
  };
  return { check, set };
}

describe('ResilienceHealthRegistry', () => {
  it('satisfies core HealthRegistry and keeps its report shape', async () => {
    const { registry } = setup();
    const contract: HealthRegistry = registry;
    contract.register('db', () => undefined);
    const report = await contract.check();
    expect(report).toEqual({
      status: 'pass',
      checkedAt: 1_000_000,
      durationMs: 0,
      checks: {
        db: { status: 'pass', critical: true, durationMs: 0, checkedAt: 1_000_000, ageMs: 0, cached: false },
      },
      reasons: {},
      starting: false,
    });
    expect(contract.names()).toEqual(['db']);
  });

  it('aggregates: a failing optional check degrades, a failing critical one fails, with reasons', async () => {
    const { registry } = setup({ cacheMs: 0 });
    const cache = switchable();
    const db = switchable();
    registry.register('cache', cache.check, { critical: false });
    registry.register('db', db.check);
    expect((await registry.check()).status).toBe('pass');

    cache.set({ status: 'fail', message: 'redis refused' });
    let report = await registry.check();
    expect(report.status).toBe('warn');
    expect(report.reasons).toEqual({ cache: 'redis refused' });

    db.set(() => {
      throw new Error('connection reset');
    });
    report = await registry.check();
    expect(report.status).toBe('fail');
    expect(report.reasons).toEqual({ cache: 'redis refused', db: 'connection reset' });

    cache.set('warn');
    db.set({ status: 'fail' });
    report = await registry.check();
    expect(report.reasons).toEqual({ cache: 'degraded', db: 'failed' });
  });

  it('reports a throwing check as failing, and keeps only the contract fields of a result', async () => {
    const { registry } = setup();
    registry.register('boom', () => {
      throw new TrellisError('X', 'exploded');
    });
    registry.register('rich', () => ({ status: 'pass', details: { n: 1 }, extra: true }) as never);
    const report = await registry.check();
    expect(report.checks.boom).toMatchObject({ status: 'fail', message: 'exploded' });
    expect(report.checks.rich).toMatchObject({ status: 'pass', details: { n: 1 } });
    expect(report.checks.rich).not.toHaveProperty('extra');
  });

  it('fails a check that outlives its timeout and aborts its signal', async () => {
    const { registry, clock } = setup();
    let signal: AbortSignal | undefined;
    registry.register(
      'slow',
      (s) => {
        signal = s;
        return new Promise<never>(() => {});
      },
      { timeoutMs: 500 },
    );
    registry.register(
      'late-reject',
      () => new Promise<never>((_, reject) => clock.setTimeout(() => reject(new Error('late')), 3_000)),
    );
    const pending = registry.check();
    await clock.advanceAsync(499);
    expect(signal?.aborted).toBe(false);
    await clock.advanceAsync(5_000);
    const report = await pending;
    expect(report.checks.slow).toMatchObject({ status: 'fail', durationMs: 500 });
    expect(report.checks.slow?.message).toContain('did not finish within 500 ms');
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as TrellisError | undefined)?.code).toBe('HEALTH_CHECK_TIMEOUT');
    expect(report.checks['late-reject']?.message).toContain('2000 ms');
  });

  it('validates its options and each check’s', () => {
    expect(() => new ResilienceHealthRegistry({ cacheMs: -1 })).toThrow(
      expect.objectContaining({ code: 'HEALTH_CONFIG_INVALID' }),
    );
    expect(() => new ResilienceHealthRegistry({ typo: 1 } as never)).toThrow(/typo|Unrecognized/);
    const { registry } = setup();
    expect(() => registry.register('x', () => undefined, { probes: [] })).toThrow(
      expect.objectContaining({ code: 'HEALTH_CHECK_OPTIONS_INVALID' }),
    );
    expect(() => registry.register('x', () => undefined, { intervalMs: 0 })).toThrow(/intervalMs/);
    registry.register('x', () => undefined);
    expect(() => registry.register('x', () => undefined)).toThrow(HealthCheckDuplicateError);
  });

  describe('probes', () => {
    it('asks each probe only its own checks: a readiness-only check never fails liveness', async () => {
      const { registry } = setup();
      const ready = switchable({ status: 'fail', message: 'warming cache' });
      const live = switchable();
      registry.register('warm', ready.check);
      registry.register('loop', live.check, { probes: ['liveness', 'readiness'] });
      const liveness = await registry.check('liveness');
      expect(liveness).toMatchObject({ status: 'pass', probe: 'liveness' });
      expect(Object.keys(liveness.checks)).toEqual(['loop']);
      expect(ready.check).not.toHaveBeenCalled();
      expect(await registry.check('readiness')).toMatchObject({
        status: 'fail',
        reasons: { warm: 'warming cache' },
      });
    });

    it('gates readiness and liveness until every critical startup check has passed once', async () => {
      const { registry, clock } = setup();
      const migrations = switchable({ status: 'fail', message: '3 migrations left' });
      const live = switchable();
      const ready = switchable();
      registry.register('migrations', migrations.check, { probes: ['startup'] });
      registry.register('optional-warmup', () => 'fail', { probes: ['startup'], critical: false });
      registry.register('loop', live.check, { probes: ['liveness'] });
      registry.register('db', ready.check);

      const notReady = await registry.check('readiness');
      expect(notReady).toMatchObject({
        status: 'fail',
        reason: 'starting',
        starting: true,
        reasons: { migrations: 'starting' },
        checks: { migrations: { status: 'fail', message: '3 migrations left' } },
      });
      // Asking readiness ran the pending startup check (a host may serve only /health/ready).
      expect(migrations.check).toHaveBeenCalledTimes(1);
      expect(ready.check).not.toHaveBeenCalled();

      const liveness = await registry.check('liveness');
      expect(liveness).toMatchObject({ status: 'pass', reason: 'starting', checks: {}, reasons: {} });
      expect(live.check).not.toHaveBeenCalled();
      expect(registry.startupComplete()).toBe(false);

      migrations.set('pass');
      clock.advance(1_000); // past the result cache
      expect(await registry.check('readiness')).toMatchObject({
        status: 'pass',
        starting: false,
        reasons: {},
      });
      expect(registry.startupComplete()).toBe(true);
      expect((await registry.check('liveness')).checks).toHaveProperty('loop');

      // Passed once is enough: the startup probe serves that pass and does not ask again.
      migrations.set('fail');
      clock.advance(5_000);
      const startup = await registry.check('startup');
      expect(startup.checks.migrations).toMatchObject({ status: 'pass', cached: true });
      expect(migrations.check).toHaveBeenCalledTimes(2);
      expect(await registry.check('readiness')).toMatchObject({ status: 'pass' });
    });

    it('closes the gate again for a startup check registered late, until it passes', async () => {
      const { registry, clock } = setup();
      registry.register('db', () => 'pass');
      expect((await registry.check('readiness')).status).toBe('pass');
      const plugin = switchable('fail');
      registry.register('plugin-boot', plugin.check, { probes: ['startup'] });
      expect(await registry.check('readiness')).toMatchObject({ status: 'fail', reason: 'starting' });
      plugin.set('warn'); // degraded but started
      clock.advance(1_000);
      expect((await registry.check('readiness')).status).toBe('pass');
      expect(registry.snapshot().find((s) => s.name === 'plugin-boot')?.startupPassed).toBe(true);
    });
  });

  describe('caching', () => {
    it('runs an on-demand check once per cacheMs, and serves the cached result with its age', async () => {
      const { registry, clock } = setup();
      const db = switchable();
      registry.register('db', db.check);
      await registry.check('readiness');
      clock.advance(400);
      const cached = await registry.check('readiness');
      expect(db.check).toHaveBeenCalledTimes(1);
      expect(cached.checks.db).toMatchObject({ cached: true, ageMs: 400, checkedAt: 1_000_000 });
      clock.advance(600);
      const fresh = await registry.check('readiness');
      expect(db.check).toHaveBeenCalledTimes(2);
      expect(fresh.checks.db).toMatchObject({ cached: false, ageMs: 0 });
    });

    it('shares one in-flight run between concurrent callers, even with cacheMs 0', async () => {
      const { registry } = setup({ cacheMs: 0 });
      let release: () => void = () => {};
      const gate = new Promise<undefined>((resolve) => (release = () => resolve(undefined)));
      const db = jest.fn<HealthCheck>(() => gate);
      registry.register('db', db);
      const burst = [registry.check('readiness'), registry.check('readiness'), registry.check()];
      await new Promise((resolve) => setImmediate(resolve));
      release();
      const reports = await Promise.all(burst);
      expect(db).toHaveBeenCalledTimes(1);
      expect(reports.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
      await registry.check('readiness');
      expect(db).toHaveBeenCalledTimes(2); // cacheMs 0: a later request runs again
    });

    it('honours a per-check cacheMs', async () => {
      const { registry, clock } = setup();
      const live = switchable();
      registry.register('breaker', live.check, { cacheMs: 0 });
      await registry.check();
      await registry.check();
      expect(live.check).toHaveBeenCalledTimes(2);
      clock.advance(1);
    });
  });

  describe('interval scheduler', () => {
    it('runs interval checks on the clock and serves their last result in between', async () => {
      const { registry, clock } = setup();
      const db = switchable();
      registry.register('db', db.check, { intervalMs: 5_000 });
      registry.start();
      registry.start(); // idempotent
      await clock.advanceAsync(0);
      expect(db.check).toHaveBeenCalledTimes(1);
      expect(registry.running).toBe(true);

      await clock.advanceAsync(3_000);
      const report = await registry.check('readiness');
      expect(db.check).toHaveBeenCalledTimes(1);
      expect(report.checks.db).toMatchObject({ cached: true, ageMs: 3_000 });

      // Long after the cache would have expired, a scheduled result is still served, not re-run.
      await clock.advanceAsync(2_000);
      expect(db.check).toHaveBeenCalledTimes(2);
      await clock.advanceAsync(10_000);
      expect(db.check).toHaveBeenCalledTimes(4);

      registry.stop();
      expect(registry.running).toBe(false);
      expect(clock.pendingTimers).toBe(0);
      await clock.advanceAsync(20_000);
      expect(db.check).toHaveBeenCalledTimes(4);
    });

    it('times the next run from the end of a slow one, so runs never overlap', async () => {
      const { registry, clock } = setup();
      let active = 0;
      let overlapped = false;
      const slow = jest.fn<HealthCheck>(async () => {
        overlapped ||= active > 0;
        active += 1;
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 800));
        active -= 1;
      });
      registry.register('slow', slow, { intervalMs: 1_000 });
      registry.start();
      await clock.advanceAsync(5_400);
      expect(slow).toHaveBeenCalledTimes(4); // at 0, 1800, 3600 and 5400: 1,000 ms after each end
      expect(overlapped).toBe(false);
      registry.stop();
    });

    it('schedules checks registered while running, and stops those disposed', async () => {
      const { registry, clock } = setup();
      registry.start();
      const db = switchable();
      const disposer = registry.register('db', db.check, { intervalMs: 1_000 });
      await clock.advanceAsync(2_000);
      expect(db.check).toHaveBeenCalledTimes(3);
      disposer.dispose();
      disposer.dispose();
      await clock.advanceAsync(5_000);
      expect(db.check).toHaveBeenCalledTimes(3);
      expect(registry.names()).toEqual([]);
      expect(registry.history('db')).toBeUndefined();
    });

    it('treats interval checks as on-demand checks cached for their interval while stopped', async () => {
      const { registry, clock } = setup();
      const db = switchable();
      registry.register('db', db.check, { intervalMs: 5_000 });
      await registry.check();
      clock.advance(4_999);
      await registry.check();
      expect(db.check).toHaveBeenCalledTimes(1);
      clock.advance(1);
      await registry.check();
      expect(db.check).toHaveBeenCalledTimes(2);
    });

    it('keeps a single timer when stop() and start() race a run', async () => {
      const { registry, clock } = setup();
      let release: () => void = () => {};
      registry.register(
        'db',
        () => new Promise<undefined>((resolve) => (release = () => resolve(undefined))),
        {
          intervalMs: 1_000,
        },
      );
      registry.start();
      registry.stop();
      registry.start();
      release();
      await clock.advanceAsync(0);
      // One scheduled tick (plus no timeout timer: the run has finished).
      expect(clock.pendingTimers).toBe(1);
      registry.stop();
    });

    it('records nothing for a run that finishes after its check was disposed', async () => {
      const { registry, clock } = setup();
      let release: () => void = () => {};
      const disposer = registry.register(
        'db',
        () => new Promise<undefined>((r) => (release = () => r(undefined))),
        {
          intervalMs: 1_000,
        },
      );
      registry.start();
      disposer.dispose();
      release();
      await clock.advanceAsync(5_000);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('health.changed', () => {
    it('is emitted when a probe’s aggregate status changes, with the failing checks', async () => {
      const { registry, changes, clock } = setup({ cacheMs: 0 });
      const db = switchable();
      registry.register('db', db.check, { probes: ['readiness', 'liveness'] });
      await registry.check('readiness');
      expect(changes).toEqual([]);
      db.set({ status: 'fail', message: 'down' });
      await registry.check('readiness');
      expect(changes).toEqual([
        { probe: 'liveness', from: 'pass', to: 'fail', failing: { db: 'down' } },
        { probe: 'readiness', from: 'pass', to: 'fail', failing: { db: 'down' } },
      ]);
      await registry.check('readiness');
      expect(changes).toHaveLength(2); // no change, no event
      clock.advance(1);
    });

    it('is emitted by the scheduler without any request, and for the startup gate', async () => {
      const { registry, changes, clock } = setup();
      const boot = switchable('fail');
      const db = switchable();
      registry.register('db', db.check, { intervalMs: 1_000 });
      registry.start();
      await clock.advanceAsync(0);
      registry.register('boot', boot.check, { probes: ['startup'], intervalMs: 1_000 });
      await clock.advanceAsync(0);
      expect(changes).toContainEqual({
        probe: 'readiness',
        from: 'pass',
        to: 'fail',
        failing: { boot: 'starting' },
      });
      boot.set('pass');
      db.set({ status: 'warn', message: 'slow' });
      await clock.advanceAsync(1_000);
      expect(changes.slice(-2)).toEqual([
        { probe: 'startup', from: 'fail', to: 'pass', failing: {} },
        { probe: 'readiness', from: 'fail', to: 'warn', failing: { db: 'slow' } },
      ]);
      registry.stop();
    });

    it('is not emitted when nobody listens', async () => {
      const clock = new ManualClock();
      const bus = { listenerCount: jest.fn(() => 0), emit: jest.fn() } as unknown as EventBus<TrellisEvents>;
      const registry = new ResilienceHealthRegistry({ clock, bus, cacheMs: 0 });
      const db = switchable();
      registry.register('db', db.check);
      await registry.check();
      db.set('fail');
      await registry.check();
      expect(bus.listenerCount).toHaveBeenCalledWith('health.changed');
      expect(bus.emit).not.toHaveBeenCalled();
    });
  });

  it('keeps the last N outcomes per check, and a snapshot for the admin API', async () => {
    const { registry, clock } = setup({ cacheMs: 0, historySize: 3 });
    const db = switchable();
    registry.register('db', db.check, { timeoutMs: 300, critical: false, intervalMs: 60_000 });
    registry.register('boot', () => 'pass', { probes: ['startup', 'startup'] });
    for (const status of ['pass', 'fail', 'warn', 'pass'] as const) {
      db.set({ status, message: status });
      await registry.check();
      clock.advance(60_000);
    }
    expect(registry.history('db')).toEqual([
      { at: 1_060_000, status: 'fail', message: 'fail', durationMs: 0 },
      { at: 1_120_000, status: 'warn', message: 'warn', durationMs: 0 },
      { at: 1_180_000, status: 'pass', message: 'pass', durationMs: 0 },
    ]);
    expect(registry.snapshot()).toEqual([
      {
        name: 'db',
        probes: ['readiness'],
        critical: false,
        timeoutMs: 300,
        cacheMs: 0,
        intervalMs: 60_000,
        history: registry.history('db'),
      },
      {
        name: 'boot',
        probes: ['startup'],
        critical: true,
        timeoutMs: 2_000,
        cacheMs: 0,
        startupPassed: true,
        history: expect.any(Array),
      },
    ]);
  });
});
