import { describe, expect, it } from '@jest/globals';
import { type HealthCheckResult, LocalEventBus, ManualClock, type TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';
import { disableStrategy, restartStrategy, rollbackStrategy } from './recovery.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import type { SupervisorConfigInput } from './supervisor-config.js';
import type { SupervisedChild } from './supervisor-types.js';

class FakeChild implements SupervisedChild {
  starts = 0;
  stops = 0;
  /** Start calls that fail next (Infinity: every one). */
  failStarts = 0;
  failStop = false;
  healthy: HealthCheckResult | 'throw' | 'hang' = { status: 'pass' };
  constructor(
    readonly name: string,
    readonly log: string[],
  ) {}
  async start(): Promise<void> {
    this.log.push(`start ${this.name}`);
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw new Error(`${this.name} will not start`);
    }
    this.starts += 1;
  }
  async stop(): Promise<void> {
    this.log.push(`stop ${this.name}`);
    this.stops += 1;
    if (this.failStop) throw new Error(`${this.name} will not stop`);
  }
  async health(): Promise<HealthCheckResult> {
    if (this.healthy === 'throw') throw new Error('probe crashed');
    if (this.healthy === 'hang') return new Promise(() => undefined);
    return this.healthy;
  }
}

type Recorded = { event: string; payload: unknown };

function setup(config: SupervisorConfigInput = {}, extra: Partial<SupervisorOptions<FakeChild>> = {}) {
  const log: string[] = [];
  const children = ['a', 'b', 'c'].map((n) => new FakeChild(n, log));
  const clock = new ManualClock(1_000);
  const bus = new LocalEventBus<TrellisEvents>();
  const events: Recorded[] = [];
  for (const event of ['supervisor.restart', 'supervisor.recovered', 'supervisor.gave-up'] as const) {
    bus.on(event, (payload) => void events.push({ event, payload }));
  }
  const supervisor = new Supervisor<FakeChild>({
    children,
    clock,
    bus,
    random: () => 0,
    config: { backoff: { jitter: 0 }, ...config },
    ...extra,
  });
  const [a, b, c] = children as [FakeChild, FakeChild, FakeChild];
  return { supervisor, a, b, c, clock, events, log };
}

const restarts = (events: Recorded[]) =>
  events
    .filter((e) => e.event === 'supervisor.restart')
    .map((e) => e.payload as TrellisEvents['supervisor.restart']);

describe('Supervisor', () => {
  it('starts children in order and stops them latest first', async () => {
    const { supervisor, log } = setup();
    expect(supervisor.state).toBe('idle');
    await supervisor.start();
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.status().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    await supervisor.stop();
  });

  it('fails the start when a child cannot start, stopping those already started', async () => {
    const { supervisor, b, log } = setup();
    b.failStarts = 1;
    await expect(supervisor.start()).rejects.toMatchObject({ code: 'SUPERVISOR_START_FAILED' });
    expect(log).toEqual(['start a', 'start b', 'stop a']);
    expect(supervisor.state).toBe('stopped');
    await expect(supervisor.start()).rejects.toMatchObject({ code: 'SUPERVISOR_STATE' });
  });

  it('rejects duplicate children, unknown children and invalid config', async () => {
    const log: string[] = [];
    expect(() => new Supervisor({ children: [new FakeChild('x', log), new FakeChild('x', log)] })).toThrow(
      expect.objectContaining({ code: 'SUPERVISOR_CHILD_DUPLICATE' }),
    );
    expect(() => new Supervisor({ children: [], config: { backoff: { initialMs: 10, maxMs: 5 } } })).toThrow(
      expect.objectContaining({ code: 'SUPERVISOR_CONFIG_INVALID' }),
    );
    const { supervisor } = setup();
    await expect(supervisor.childFailed('nope')).rejects.toMatchObject({ code: 'SUPERVISOR_CHILD_UNKNOWN' });
  });

  it('ignores failures while not running', async () => {
    const { supervisor } = setup();
    await expect(supervisor.childFailed('a')).resolves.toBe('ignored');
  });

  it('one_for_one: restarts only the failed child after the backoff and reports the downtime', async () => {
    const { supervisor, a, b, c, clock, events } = setup();
    await supervisor.start();
    const handled = supervisor.childFailed('b', new Error('crashed'));
    expect(supervisor.status()[1]).toMatchObject({ state: 'recovering', lastFailure: { reason: 'crashed' } });
    expect(restarts(events)).toEqual([
      { supervisor: 'supervisor', child: 'b', with: [], attempt: 1, delayMs: 100, reason: 'crashed' },
    ]);
    await clock.advanceAsync(99);
    expect(b.starts).toBe(1);
    await clock.advanceAsync(1);
    await expect(handled).resolves.toBe('recovered');
    expect([a.starts, b.starts, c.starts]).toEqual([1, 2, 1]);
    expect(b.stops).toBe(1);
    expect(events.at(-1)).toEqual({
      event: 'supervisor.recovered',
      payload: { supervisor: 'supervisor', child: 'b', downMs: 100 },
    });
    expect(supervisor.status()[1]).toMatchObject({ state: 'running', attempts: 1 });
  });

  it('coalesces a failure reported again while the child is recovering', async () => {
    const { supervisor, clock } = setup();
    await supervisor.start();
    const first = supervisor.childFailed('a');
    await expect(supervisor.childFailed('a')).resolves.toBe('ignored');
    await clock.advanceAsync(100);
    await expect(first).resolves.toBe('recovered');
  });

  it('backs off exponentially while restarts fail, then gives up once the intensity is used up', async () => {
    const { supervisor, b, clock, events } = setup();
    await supervisor.start();
    b.failStarts = Number.POSITIVE_INFINITY;
    const handled = supervisor.childFailed('b', 'boom');
    await clock.advanceAsync(10_000);
    await expect(handled).resolves.toBe('gave-up');
    expect(restarts(events).map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1600],
    ]);
    const gaveUp = events.at(-1);
    expect(gaveUp?.event).toBe('supervisor.gave-up');
    expect(gaveUp?.payload).toMatchObject({ child: 'b', restarts: 5, withinMs: 30_000 });
    expect((gaveUp?.payload as { reason: string } | undefined)?.reason).toMatch(
      /more than 5 restarts within 30000 ms; last failure: b will not start/,
    );
    expect(supervisor.status()[1]?.state).toBe('given-up');
    await expect(supervisor.childFailed('b')).resolves.toBe('ignored');
  });

  it('keeps the backoff growing across incidents until the child has been healthy for resetAfterMs', async () => {
    const { supervisor, clock, events } = setup({ intensity: { resetAfterMs: 60_000 } });
    await supervisor.start();
    const fail = async () => {
      const handled = supervisor.childFailed('a');
      await clock.advanceAsync(1_000);
      await handled;
    };
    await fail();
    await clock.advanceAsync(59_000);
    await fail();
    expect(restarts(events).map((r) => r.delayMs)).toEqual([100, 200]);
    await clock.advanceAsync(60_000);
    expect(supervisor.status()[0]?.attempts).toBe(0);
    await fail();
    expect(restarts(events).map((r) => r.delayMs)).toEqual([100, 200, 100]);
  });

  it('applies jitter from the injected random', async () => {
    const { supervisor, events, clock } = setup({ backoff: { jitter: 0.5 } }, { random: () => 0.5 });
    await supervisor.start();
    const handled = supervisor.childFailed('a');
    await clock.advanceAsync(100);
    await handled;
    expect(restarts(events)[0]?.delayMs).toBe(75);
  });

  it('rest_for_one: restarts the failed child and every child after it, in order', async () => {
    const { supervisor, clock, events, log } = setup({ strategy: 'rest_for_one' });
    await supervisor.start();
    log.length = 0;
    const handled = supervisor.childFailed('b');
    expect(restarts(events)[0]).toMatchObject({ child: 'b', with: ['c'] });
    // c fails while b's restart is pending: b's restart restarts c anyway.
    await expect(supervisor.childFailed('c')).resolves.toBe('ignored');
    await clock.advanceAsync(100);
    await expect(handled).resolves.toBe('recovered');
    expect(log).toEqual(['stop c', 'stop b', 'start b', 'start c']);
    expect(supervisor.status().map((s) => s.state)).toEqual(['running', 'running', 'running']);
  });

  it('rest_for_one: an earlier child failing supersedes the recovery of a later one', async () => {
    const { supervisor, clock, log } = setup({ strategy: 'rest_for_one' });
    await supervisor.start();
    log.length = 0;
    const later = supervisor.childFailed('c');
    const earlier = supervisor.childFailed('a');
    await clock.advanceAsync(100);
    await expect(later).resolves.toBe('cancelled');
    await expect(earlier).resolves.toBe('recovered');
    expect(log).toEqual(['stop c', 'stop b', 'stop a', 'start a', 'start b', 'start c']);
    expect(supervisor.status().map((s) => s.state)).toEqual(['running', 'running', 'running']);
  });

  it('rest_for_one: when a child gives up, the children after it stay stopped until revived', async () => {
    const { supervisor, a, clock } = setup({ strategy: 'rest_for_one', intensity: { maxRestarts: 1 } });
    await supervisor.start();
    a.failStarts = Number.POSITIVE_INFINITY;
    const handled = supervisor.childFailed('a');
    await clock.advanceAsync(1_000);
    await expect(handled).resolves.toBe('gave-up');
    expect(supervisor.status().map((s) => s.state)).toEqual(['given-up', 'stopped', 'stopped']);
    a.failStarts = 0;
    await supervisor.revive('a');
    expect(supervisor.status().map((s) => s.state)).toEqual(['running', 'running', 'running']);
    await supervisor.revive('a');
  });

  it('runs a recovery chain: restart ×2, then disable', async () => {
    const { supervisor, c, clock, events } = setup(
      {},
      { recovery: [{ strategy: restartStrategy(), times: 2 }, { strategy: disableStrategy() }] },
    );
    await supervisor.start();
    c.failStarts = Number.POSITIVE_INFINITY;
    const handled = supervisor.childFailed('c');
    await clock.advanceAsync(1_000);
    await expect(handled).resolves.toBe('disabled');
    expect(restarts(events)).toHaveLength(2);
    expect(events.at(-1)?.payload).toMatchObject({
      child: 'c',
      reason: expect.stringMatching(/^disabled by the disable strategy/),
    });
    expect(supervisor.status()[2]?.state).toBe('disabled');
    await supervisor.revive('c').catch(() => undefined);
  });

  it('gives up when a finite chain is exhausted, and skips links that do not apply', async () => {
    const { supervisor, a, clock, events } = setup(
      {},
      {
        recovery: [
          { strategy: rollbackStrategy(async () => false) },
          { strategy: Object.assign(async () => ({ status: 'failed' as const, error: 'nope' })) },
        ],
      },
    );
    await supervisor.start();
    const handled = supervisor.childFailed('a');
    await clock.advanceAsync(1_000);
    await expect(handled).resolves.toBe('gave-up');
    expect(a.starts).toBe(1);
    expect((events.at(-1)?.payload as { reason: string } | undefined)?.reason).toBe(
      'recovery chain exhausted after: nope',
    );
  });

  it('polls health and restarts a child after consecutive failures', async () => {
    const { supervisor, b, clock, events } = setup({ health: { intervalMs: 1_000, failureThreshold: 2 } });
    await supervisor.start();
    b.healthy = { status: 'fail', message: 'db unreachable' };
    await clock.advanceAsync(1_000);
    expect(restarts(events)).toHaveLength(0);
    await clock.advanceAsync(1_000);
    expect(restarts(events)[0]).toMatchObject({
      child: 'b',
      reason: 'health failed 2 consecutive times: db unreachable',
    });
    b.healthy = { status: 'pass' };
    await clock.advanceAsync(100);
    await supervisor.idle();
    expect(b.starts).toBe(2);
    await supervisor.stop();
  });

  it('stop cancels a pending restart and reports children that failed to stop', async () => {
    const { supervisor, a, b, clock } = setup();
    await supervisor.start();
    const handled = supervisor.childFailed('b');
    a.failStop = true;
    await expect(supervisor.stop()).rejects.toMatchObject({ code: 'SUPERVISOR_STOP_FAILED' });
    await expect(handled).resolves.toBe('cancelled');
    await clock.advanceAsync(1_000);
    expect(b.starts).toBe(1);
    await expect(supervisor.revive('b')).rejects.toMatchObject({ code: 'SUPERVISOR_STATE' });
  });

  it('stopping an idle supervisor stops no child; works without a bus', async () => {
    const log: string[] = [];
    const supervisor = new Supervisor({ children: [new FakeChild('x', log)] });
    await supervisor.stop();
    expect(log).toEqual([]);
    expect(supervisor.name).toBe('supervisor');
  });

  it('emits nothing when nobody listens', async () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const emitted: string[] = [];
    const original = bus.emit.bind(bus);
    bus.emit = ((event: string, payload: never) => {
      emitted.push(event);
      original(event as never, payload);
    }) as typeof bus.emit;
    const supervisor = new Supervisor({ children: [new FakeChild('x', [])], clock, bus });
    await supervisor.start();
    const handled = supervisor.childFailed('x');
    await clock.advanceAsync(1_000);
    await handled;
    expect(emitted).toEqual([]);
  });
});
