import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, ManualClock, TrellisError, type TrellisEvents } from '@trellis/core';
import fc from 'fast-check';
import type { ResilienceEvents } from '../events/resilience-events.js';
import { MemberEjectedError } from './limit-errors.js';
import { OutlierEjection, type OutlierEjectionDeps } from './outlier-ejection.js';
import type { OutlierEjectionConfig } from './outlier-ejection-schema.js';
import { OutlierEjectionConfigSchema, parseOutlierEjectionConfig } from './outlier-ejection-schema.js';

function setup(config: OutlierEjectionConfig = {}, deps: OutlierEjectionDeps = {}) {
  const clock = new ManualClock();
  const bus = new LocalEventBus<TrellisEvents>();
  const ejections: ResilienceEvents['resilience.ejection'][] = [];
  const rejects: ResilienceEvents['resilience.reject'][] = [];
  bus.on('resilience.ejection', (e) => ejections.push(e));
  bus.on('resilience.reject', (e) => rejects.push(e));
  const pool = new OutlierEjection(
    { name: 'plugins', members: ['a', 'b', 'c', 'd'], ...config },
    { clock, bus, ...deps },
  );
  return { clock, pool, ejections, rejects };
}

function fail(pool: OutlierEjection, member: string, times: number): void {
  for (let i = 0; i < times; i += 1) pool.recordFailure(member);
}

describe('OutlierEjection detection', () => {
  it('ejects after consecutiveFailures failures in a row, announcing it', () => {
    const { pool, ejections } = setup();
    fail(pool, 'a', 4);
    expect(pool.isEjected('a')).toBe(false);
    pool.recordFailure('a');
    expect(pool.isEjected('a')).toBe(true);
    expect(ejections).toEqual([{ pool: 'plugins', member: 'a', ejected: true, forMs: 30_000, ejections: 1 }]);
    expect(pool.ejectedCount).toBe(1);
  });

  it('resets the streak on a success', () => {
    const { pool } = setup({ failureRatio: 0 });
    fail(pool, 'a', 4);
    pool.recordSuccess('a');
    fail(pool, 'a', 4);
    expect(pool.isEjected('a')).toBe(false);
    expect(pool.status('a')).toMatchObject({ consecutiveFailures: 4, windowRequests: 9, windowFailures: 8 });
  });

  it('ejects on a failure ratio at or above the threshold once minRequests is reached', () => {
    const { pool } = setup({ consecutiveFailures: 0, failureRatio: 0.3, minRequests: 10 });
    for (let i = 0; i < 7; i += 1) pool.recordSuccess('a');
    fail(pool, 'a', 2);
    expect(pool.isEjected('a')).toBe(false); // 2 of 9: too few requests to judge
    pool.recordFailure('a'); // 3 of 10 = 0.3
    expect(pool.isEjected('a')).toBe(true);
  });

  it('judges the ratio over the window only', () => {
    const { clock, pool } = setup({
      consecutiveFailures: 0,
      failureRatio: 0.5,
      minRequests: 4,
      windowMs: 1_000,
    });
    fail(pool, 'a', 1);
    pool.recordSuccess('a');
    clock.advance(1_000);
    pool.recordSuccess('a');
    pool.recordSuccess('a');
    pool.recordSuccess('a');
    pool.recordFailure('a'); // 1 of 4 in the window (2 of 6 overall)
    expect(pool.isEjected('a')).toBe(false);
  });

  it('can turn both detectors off', () => {
    const { pool } = setup({ consecutiveFailures: 0, failureRatio: 0 });
    fail(pool, 'a', 100);
    expect(pool.isEjected('a')).toBe(false);
  });
});

describe('OutlierEjection timing', () => {
  it('returns a member lazily when its time is up, clean, and announces it', () => {
    const { clock, pool, ejections } = setup();
    fail(pool, 'a', 5);
    clock.advance(29_999);
    expect(pool.isEjected('a')).toBe(true);
    clock.advance(1);
    expect(pool.isEjected('a')).toBe(false);
    expect(ejections[1]).toEqual({ pool: 'plugins', member: 'a', ejected: false, forMs: 0, ejections: 1 });
    expect(pool.status('a')).toMatchObject({ consecutiveFailures: 0, windowRequests: 0, ejectedUntil: 0 });
  });

  it('returns members one by one as each ejection ends', () => {
    const { clock, pool } = setup({ baseEjectionMs: 1_000 });
    fail(pool, 'a', 5);
    clock.advance(500);
    fail(pool, 'b', 5);
    clock.advance(500);
    expect(pool.snapshot().map((s) => s.ejected)).toEqual([false, true, false, false]);
    clock.advance(499);
    expect(pool.isEjected('b')).toBe(true);
    clock.advance(1);
    expect(pool.ejectedCount).toBe(0);
  });

  it('ejects for base × n, capped at maxEjectionMs', () => {
    const { clock, pool, ejections } = setup({
      baseEjectionMs: 1_000,
      maxEjectionMs: 2_500,
      windowMs: 60_000,
    });
    for (let round = 0; round < 4; round += 1) {
      fail(pool, 'a', 5);
      clock.advance(3_000);
      pool.isEjected('a');
    }
    expect(ejections.filter((e) => e.ejected).map((e) => e.forMs)).toEqual([1_000, 2_000, 2_500, 2_500]);
  });

  it('forgives one ejection step per healthy window', () => {
    const { clock, pool, ejections } = setup({ baseEjectionMs: 1_000, windowMs: 10_000 });
    fail(pool, 'a', 5);
    clock.advance(1_000);
    fail(pool, 'a', 5); // back 0 ms ago: second ejection
    clock.advance(2_000);
    expect(pool.isEjected('a')).toBe(false);
    clock.advance(20_000); // two healthy windows: 2 → 0, then + 1
    fail(pool, 'a', 5);
    expect(ejections.filter((e) => e.ejected).map((e) => e.ejections)).toEqual([1, 2, 1]);
  });

  it('ignores outcomes recorded while a member is out', () => {
    const { pool } = setup();
    fail(pool, 'a', 5);
    fail(pool, 'a', 5);
    pool.recordSuccess('a');
    expect(pool.status('a')).toMatchObject({ ejected: true, consecutiveFailures: 5, windowRequests: 5 });
  });
});

describe('OutlierEjection cap', () => {
  it('never ejects more than maxEjectionPercent of the pool, counting the skipped ones', () => {
    const { pool } = setup({ maxEjectionPercent: 50 });
    for (const member of ['a', 'b', 'c', 'd']) fail(pool, member, 5);
    expect(pool.maxEjected).toBe(2);
    expect(pool.ejectedCount).toBe(2);
    expect(pool.skippedEjections).toBe(2);
  });

  it('ejects a skipped member on its next failure once a slot frees up', () => {
    const { clock, pool } = setup({ maxEjectionPercent: 25, baseEjectionMs: 1_000 });
    fail(pool, 'a', 5);
    fail(pool, 'b', 5);
    expect(pool.isEjected('b')).toBe(false);
    clock.advance(1_000);
    pool.recordFailure('b');
    expect(pool.isEjected('b')).toBe(true);
    expect(pool.isEjected('a')).toBe(false);
  });

  it('never ejects the only member below 100 percent', () => {
    const { pool } = setup({ members: ['solo'] });
    fail(pool, 'solo', 50);
    expect(pool.isEjected('solo')).toBe(false);
    expect(pool.pick()).toBe('solo');
  });

  it('keeps the ejected share within maxEjectionPercent for any outcome sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({ member: fc.nat(11), failed: fc.boolean(), dt: fc.integer({ min: 0, max: 5_000 }) }),
          { maxLength: 300 },
        ),
        (size, percent, events) => {
          const clock = new ManualClock();
          const members = Array.from({ length: size }, (_, i) => `m${i}`);
          const pool = new OutlierEjection(
            {
              members,
              maxEjectionPercent: percent,
              consecutiveFailures: 2,
              minRequests: 2,
              baseEjectionMs: 3_000,
            },
            { clock },
          );
          const cap = Math.floor((size * percent) / 100);
          for (const { member, failed, dt } of events) {
            clock.advance(dt);
            const name = `m${member % size}`;
            if (failed) pool.recordFailure(name);
            else pool.recordSuccess(name);
            const ejected = pool.snapshot().filter((s) => s.ejected).length;
            expect(ejected).toBeLessThanOrEqual(cap);
            expect(pool.ejectedCount).toBe(ejected);
          }
        },
      ),
    );
  });
});

describe('OutlierEjection.pick', () => {
  it('round-robins over members in rotation', () => {
    const { pool } = setup();
    fail(pool, 'b', 5);
    expect([pool.pick(), pool.pick(), pool.pick(), pool.pick()]).toEqual(['a', 'c', 'd', 'a']);
  });

  it('picks uniformly among healthy members with the injected random', () => {
    const draws = [0, 0.34, 0.99, 1];
    const { pool } = setup({ strategy: 'random' }, { random: () => draws.shift() ?? 0 });
    fail(pool, 'a', 5);
    expect([pool.pick(), pool.pick(), pool.pick(), pool.pick()]).toEqual(['b', 'c', 'd', 'd']);
  });

  it('returns undefined when nothing is in rotation', () => {
    expect(new OutlierEjection().pick()).toBeUndefined();
    const { pool } = setup({ members: ['a'], maxEjectionPercent: 100 });
    fail(pool, 'a', 5);
    expect(pool.pick()).toBeUndefined();
  });
});

describe('OutlierEjection.execute', () => {
  it('records the outcome of the call', async () => {
    const { pool } = setup();
    await expect(pool.execute('a', () => 1)).resolves.toBe(1);
    await expect(pool.execute('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(pool.status('a')).toMatchObject({ windowRequests: 2, windowFailures: 1, consecutiveFailures: 1 });
  });

  it('lets the caller say which errors count against the member', async () => {
    const { pool } = setup();
    const isFailure = (error: unknown) => !(error instanceof TypeError);
    await expect(
      pool.execute('a', () => Promise.reject(new TypeError('bad input')), { isFailure }),
    ).rejects.toThrow();
    expect(pool.status('a')).toMatchObject({ windowFailures: 0, windowRequests: 1 });
  });

  it('refuses an ejected member without calling it', async () => {
    const { clock, pool, rejects } = setup();
    fail(pool, 'a', 5);
    clock.advance(10_000);
    const fn = jest.fn(() => 1);
    const refused = pool.execute('a', fn);
    await expect(refused).rejects.toBeInstanceOf(MemberEjectedError);
    await expect(refused).rejects.toMatchObject({
      code: 'RESILIENCE_MEMBER_EJECTED',
      details: { returnsInMs: 20_000 },
    });
    expect(fn).not.toHaveBeenCalled();
    expect(rejects).toEqual([{ policy: 'plugins', reason: 'ejected' }]);
  });

  it('emits nothing without listeners', async () => {
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const pool = new OutlierEjection({ members: ['a', 'b'] }, { bus, clock: new ManualClock() });
    fail(pool, 'a', 5);
    await expect(pool.execute('a', () => 1)).rejects.toThrow(MemberEjectedError);
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('OutlierEjection membership', () => {
  it('adds members on first record, and removes them', () => {
    const { pool } = setup({ members: [] });
    pool.recordSuccess('x');
    pool.add('y');
    pool.add('y');
    expect(pool.members).toEqual(['x', 'y']);
    expect(pool.remove('x')).toBe(true);
    expect(pool.remove('x')).toBe(false);
    expect(pool.members).toEqual(['y']);
    expect(pool.status('x')).toBeUndefined();
    expect(pool.name).toBe('plugins');
  });

  it('frees the slot of a removed ejected member', () => {
    const { pool } = setup();
    fail(pool, 'a', 5);
    expect(pool.remove('a')).toBe(true);
    expect(pool.ejectedCount).toBe(0);
    expect(pool.snapshot().map((s) => s.member)).toEqual(['b', 'c', 'd']);
  });
});

describe('OutlierEjectionConfigSchema', () => {
  it('has Envoy-like defaults, with a 50 percent cap for small pools', () => {
    expect(OutlierEjectionConfigSchema.parse({})).toEqual({
      name: 'default',
      members: [],
      consecutiveFailures: 5,
      failureRatio: 0.5,
      minRequests: 10,
      windowMs: 10_000,
      windowBuckets: 10,
      baseEjectionMs: 30_000,
      maxEjectionMs: 300_000,
      maxEjectionPercent: 50,
      strategy: 'round-robin',
    });
    expect(parseOutlierEjectionConfig(undefined).name).toBe('default');
  });

  it('lists every problem', () => {
    try {
      parseOutlierEjectionConfig({ failureRatio: 2, baseEjectionMs: 10_000, maxEjectionMs: 1_000, nope: 1 });
      throw new Error('expected a throw');
    } catch (error) {
      expect(TrellisError.is(error, 'RESILIENCE_EJECTION_CONFIG_INVALID')).toBe(true);
      expect((error as TrellisError).details.problems).toEqual([
        expect.stringMatching(/^failureRatio:/),
        expect.stringMatching(/^\(root\):/),
        expect.stringMatching(/^baseEjectionMs: must be <= maxEjectionMs/),
      ]);
    }
    expect(() => parseOutlierEjectionConfig({ baseEjectionMs: 10_000, maxEjectionMs: 1_000 })).toThrow(
      /baseEjectionMs: must be <= maxEjectionMs/,
    );
  });
});
