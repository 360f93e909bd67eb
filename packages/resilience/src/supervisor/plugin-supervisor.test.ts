import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type EventBus,
  type HealthCheckResult,
  LocalEventBus,
  ManualClock,
  type PluginControl,
  type PluginLifecycleState,
  type PluginRestartOptions,
  type PluginSummary,
  type TrellisEvents,
} from '@trellis/core';
import '../events/resilience-events.js';
import type { PluginSupervisionEvents } from './plugin-events.js';
import { createPluginSupervisor, type PluginSupervisor, SUPERVISOR_ACTOR } from './plugin-supervisor.js';
import { disableStrategy, restartStrategy } from './recovery.js';
import type { PluginSupervisorConfigInput } from './supervisor-config.js';

type Bus = LocalEventBus<TrellisEvents & PluginSupervisionEvents>;

/** A plugin host double: plugins in start order, with transitions published like the lifecycle does. */
class FakeControl implements PluginControl {
  readonly restarts: [string, PluginRestartOptions | undefined][] = [];
  readonly stops: string[] = [];
  /** Restarts that fail next (Infinity: every one). */
  failRestarts = 0;
  /** Dependents that do not come back after a restart. */
  readonly brokenDependents = new Set<string>();
  healthResults: Record<string, HealthCheckResult> = {};
  readonly #plugins: { name: string; state: PluginLifecycleState; dependencies: string[] }[];

  constructor(
    readonly bus: Bus,
    plugins: Record<string, string[]>,
  ) {
    this.#plugins = Object.entries(plugins).map(([name, dependencies]) => ({
      name,
      state: 'active',
      dependencies,
    }));
  }

  list(): readonly PluginSummary[] {
    return this.#plugins.map((p) => this.#summary(p.name));
  }
  get(name: string): PluginSummary | undefined {
    return this.#plugins.some((p) => p.name === name) ? this.#summary(name) : undefined;
  }
  async start(name: string): Promise<PluginSummary> {
    this.transition(name, 'active');
    return this.#summary(name);
  }
  async stop(name: string): Promise<PluginSummary> {
    this.stops.push(name);
    this.transition(name, 'stopping');
    this.transition(name, 'stopped');
    return this.#summary(name);
  }
  async restart(name: string, options?: PluginRestartOptions): Promise<PluginSummary> {
    this.restarts.push([name, options]);
    const dependents =
      options?.withDependents === false
        ? []
        : this.#plugins
            .filter((p) => p.dependencies.includes(name) && p.state === 'active')
            .map((p) => p.name);
    for (const n of [...dependents.reverse(), name]) {
      if (this.state(n) === 'active') this.transition(n, 'stopping');
      this.transition(n, 'stopped');
    }
    this.transition(name, 'starting');
    if (this.failRestarts > 0) {
      this.failRestarts -= 1;
      this.transition(name, 'failed', 'start hook threw');
      throw new Error(`${name} failed to start`);
    }
    this.transition(name, 'active');
    for (const n of dependents.reverse()) {
      this.transition(n, 'starting');
      this.transition(n, this.brokenDependents.has(n) ? 'failed' : 'active');
    }
    return this.#summary(name);
  }
  async health(name: string): Promise<HealthCheckResult> {
    return this.healthResults[name] ?? { status: 'pass' };
  }

  state(name: string): PluginLifecycleState {
    return this.#plugins.find((p) => p.name === name)?.state ?? 'uninstalled';
  }
  /** Moves a plugin and publishes `plugin.transition`, as the lifecycle's state machine does. */
  transition(name: string, to: PluginLifecycleState, message?: string): void {
    const plugin = this.#plugins.find((p) => p.name === name);
    if (!plugin) throw new Error(`no ${name}`);
    const from = plugin.state;
    plugin.state = to;
    this.bus.emit('plugin.transition', {
      plugin: name,
      version: '1.0.0',
      from,
      to,
      at: 0,
      durationMs: 0,
      ...(message ? { error: { code: 'X', message } } : {}),
    });
  }
  /** An isolated plugin's worker dies: `plugin.exited`, then active → failed. */
  crash(name: string): void {
    this.bus.emit('plugin.exited', {
      plugin: name,
      isolation: 'worker',
      reason: 'crash',
      detail: 'exit code 1',
      code: 1,
    });
    if (this.state(name) === 'active') this.transition(name, 'failed', 'runtime crash');
  }

  #summary(name: string): PluginSummary {
    const plugin = this.#plugins.find((p) => p.name === name);
    if (!plugin) throw new Error(`no ${name}`);
    return {
      name,
      version: '1.0.0',
      state: plugin.state,
      isolation: 'worker',
      critical: false,
      dependencies: plugin.dependencies,
      ...(plugin.state === 'failed' ? { error: { code: 'X', message: 'failed' } } : {}),
    };
  }
}

let supervisor: PluginSupervisor | undefined;
afterEach(async () => supervisor?.stop());

function setup(
  config: PluginSupervisorConfigInput = {},
  extra: Parameters<typeof createPluginSupervisor>[0] extends infer O ? Partial<O> : never = {},
) {
  const bus: Bus = new LocalEventBus();
  const clock = new ManualClock(0);
  // db ← cache ← api (api depends on cache, cache on db); audit is independent.
  const control = new FakeControl(bus, { db: [], cache: ['db'], audit: [], api: ['cache'] });
  const events: { event: string; payload: unknown }[] = [];
  for (const event of ['supervisor.restart', 'supervisor.recovered', 'supervisor.gave-up'] as const) {
    bus.on(event, (payload) => void events.push({ event, payload }));
  }
  supervisor = createPluginSupervisor({
    control,
    bus: bus as unknown as EventBus<TrellisEvents>,
    clock,
    random: () => 0,
    backoff: { jitter: 0 },
    ...config,
    ...extra,
  });
  const restartEvents = () =>
    events
      .filter((e) => e.event === 'supervisor.restart')
      .map((e) => e.payload as TrellisEvents['supervisor.restart']);
  return { bus, clock, control, events, restartEvents, supervisor };
}

describe('createPluginSupervisor', () => {
  it('restarts a crashed plugin once, with its dependents (rest_for_one), after the backoff', async () => {
    const { clock, control, events, restartEvents, supervisor } = setup();
    expect(supervisor.config.strategy).toBe('rest_for_one');
    control.crash('cache');
    expect(restartEvents()).toEqual([
      {
        supervisor: 'plugins',
        child: 'cache',
        with: ['api'],
        attempt: 1,
        delayMs: 100,
        reason: 'runtime crash: exit code 1',
      },
    ]);
    await clock.advanceAsync(99);
    expect(control.restarts).toEqual([]);
    await clock.advanceAsync(1);
    await supervisor.idle();
    expect(control.restarts).toEqual([
      ['cache', { withDependents: true, reload: false, actor: SUPERVISOR_ACTOR }],
    ]);
    expect(events.at(-1)).toEqual({
      event: 'supervisor.recovered',
      payload: { supervisor: 'plugins', child: 'cache', downMs: 100 },
    });
    expect(control.list().map((p) => p.state)).toEqual(['active', 'active', 'active', 'active']);
    expect(supervisor.status()).toEqual([
      { name: 'cache', state: 'running', attempts: 1, lastFailure: expect.anything() },
    ]);
  });

  it('one_for_one restarts the plugin alone', async () => {
    const { clock, control } = setup({ strategy: 'one_for_one' });
    control.transition('api', 'failed', 'handler loop died');
    await clock.advanceAsync(100);
    expect(control.restarts).toEqual([
      ['api', { withDependents: false, reload: false, actor: SUPERVISOR_ACTOR }],
    ]);
  });

  it('ignores boot failures, host stops, and plugins excluded', async () => {
    const { clock, control, restartEvents } = setup({ exclude: ['audit'] });
    control.transition('db', 'stopping');
    control.transition('db', 'stopped');
    control.transition('db', 'starting');
    control.transition('db', 'failed', 'boot failure');
    control.crash('audit');
    await clock.advanceAsync(60_000);
    expect(restartEvents()).toEqual([]);
    expect(control.restarts).toEqual([]);
  });

  it('ignores plugin.exited of a plugin that is not active (its start or stop handles it)', async () => {
    const { bus, clock, control } = setup();
    control.transition('audit', 'stopping');
    bus.emit('plugin.exited', { plugin: 'audit', isolation: 'process', reason: 'killed', detail: 'SIGKILL' });
    await clock.advanceAsync(1_000);
    expect(control.restarts).toEqual([]);
  });

  it('backs off while restarts fail, then gives up with the alert event', async () => {
    const { clock, control, events, restartEvents, supervisor } = setup();
    control.failRestarts = Number.POSITIVE_INFINITY;
    control.crash('audit');
    await clock.advanceAsync(60_000);
    await supervisor.idle();
    expect(restartEvents().map((r) => r.delayMs)).toEqual([100, 200, 400, 800, 1600]);
    expect(control.restarts).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({
      event: 'supervisor.gave-up',
      payload: { supervisor: 'plugins', child: 'audit', restarts: 5, withinMs: 30_000 },
    });
    expect(supervisor.status()[0]?.state).toBe('given-up');
    // Given up: a later failure is not handled until an operator brings the plugin back.
    await expect(supervisor.pluginFailed('audit', new Error('still down'))).resolves.toBe('ignored');
    control.failRestarts = 0;
    await control.start('audit');
    expect(supervisor.status()[0]).toMatchObject({ state: 'running', attempts: 0 });
    control.crash('audit');
    await clock.advanceAsync(100);
    await supervisor.idle();
    expect(control.restarts).toHaveLength(6);
  });

  it('respects intensity per plugin and resets it after the healthy window', async () => {
    const { clock, control, restartEvents, supervisor } = setup({
      intensity: { maxRestarts: 2, periodMs: 60_000 },
    });
    const crashAndRecover = async (name: string) => {
      control.crash(name);
      await clock.advanceAsync(1_000);
      await supervisor.idle();
    };
    await crashAndRecover('audit');
    await crashAndRecover('audit');
    await crashAndRecover('db');
    expect(restartEvents().map((r) => [r.child, r.attempt, r.delayMs])).toEqual([
      ['audit', 1, 100],
      ['audit', 2, 200],
      ['db', 1, 100],
    ]);
    await crashAndRecover('audit');
    expect(supervisor.status().find((s) => s.name === 'audit')?.state).toBe('given-up');
    supervisor.revive('audit');
    supervisor.revive('db');
    expect(supervisor.status().find((s) => s.name === 'audit')?.state).toBe('idle');
    control.transition('audit', 'stopping');
    control.transition('audit', 'stopped');
    await control.start('audit');
    await clock.advanceAsync(600_000);
    expect(supervisor.status().find((s) => s.name === 'db')?.attempts).toBe(0);
    await crashAndRecover('db');
    expect(restartEvents().at(-1)).toMatchObject({ child: 'db', attempt: 1, delayMs: 100 });
  });

  it('coalesces failures of dependents while their dependency is being restarted', async () => {
    const { clock, control, restartEvents } = setup();
    control.crash('db');
    control.transition('api', 'failed', 'lost its cache');
    await clock.advanceAsync(100);
    expect(restartEvents()).toHaveLength(1);
    expect(restartEvents()[0]?.with).toEqual(['cache', 'api']);
    expect(control.restarts.map(([n]) => n)).toEqual(['db']);
  });

  it('a dependency failing supersedes the pending restart of its dependent', async () => {
    const { clock, control, supervisor } = setup();
    // Reported (still active): the dependency's restart takes it down and up again anyway.
    const api = supervisor.pluginFailed('api', 'probe says stuck');
    const db = supervisor.pluginFailed('db', 'probe says dead');
    await clock.advanceAsync(100);
    await expect(db).resolves.toBe('recovered');
    await expect(api).resolves.toBe('cancelled');
    expect(control.restarts.map(([n]) => n)).toEqual(['db']);
    expect(control.state('api')).toBe('active');
  });

  it('opens an incident for a dependent that did not come back after a restart', async () => {
    const { clock, control, supervisor } = setup();
    control.brokenDependents.add('api');
    control.crash('cache');
    await clock.advanceAsync(100);
    control.brokenDependents.clear();
    await clock.advanceAsync(100);
    await supervisor.idle();
    expect(control.restarts.map(([n]) => n)).toEqual(['cache', 'api']);
    expect(control.state('api')).toBe('active');
  });

  it('treats a plugin an operator restarted during the backoff as recovered', async () => {
    const { clock, control, events } = setup();
    control.crash('audit');
    await control.start('audit');
    await clock.advanceAsync(100);
    expect(control.restarts).toEqual([]);
    expect(events.at(-1)?.event).toBe('supervisor.recovered');
  });

  it('leaves a plugin an operator stopped during the backoff alone', async () => {
    const { clock, control, supervisor } = setup();
    control.crash('audit');
    await control.stop('audit');
    await clock.advanceAsync(100);
    expect(control.restarts).toEqual([]);
    expect(supervisor.status()[0]?.state).toBe('stopped');
  });

  it('stops itself when the platform stops, cancelling pending restarts', async () => {
    const { bus, clock, control, supervisor } = setup();
    control.crash('audit');
    bus.emit('platform.stopping', { platform: 'app', reason: 'SIGTERM' });
    await supervisor.idle();
    await clock.advanceAsync(60_000);
    expect(control.restarts).toEqual([]);
    control.crash('db');
    await expect(supervisor.pluginFailed('db')).resolves.toBe('ignored');
    await supervisor.stop();
  });

  it('polls plugin health when enabled', async () => {
    const { clock, control, restartEvents } = setup({ health: { intervalMs: 5_000, failureThreshold: 2 } });
    control.healthResults.audit = { status: 'fail', message: 'queue stuck' };
    await clock.advanceAsync(10_000);
    expect(restartEvents()[0]).toMatchObject({
      child: 'audit',
      reason: 'health failed 2 consecutive times: queue stuck',
    });
  });

  it('runs a recovery chain through the control: restart once, then disable', async () => {
    const { clock, control, events, supervisor } = setup(
      {},
      { recovery: [{ strategy: restartStrategy() }, { strategy: disableStrategy() }] },
    );
    control.failRestarts = Number.POSITIVE_INFINITY;
    control.crash('audit');
    await clock.advanceAsync(1_000);
    await supervisor.idle();
    expect(control.stops).toEqual(['audit']);
    expect(events.at(-1)).toMatchObject({
      event: 'supervisor.gave-up',
      payload: { reason: expect.stringMatching(/^disabled/) },
    });
    expect(supervisor.status()[0]?.state).toBe('disabled');
  });

  it('rejects invalid config and treats a restart that leaves the plugin down as failed', async () => {
    const bus = new LocalEventBus<TrellisEvents>();
    const control = new FakeControl(bus as unknown as Bus, { x: [] });
    expect(() => createPluginSupervisor({ control, bus, intensity: { maxRestarts: -1 } })).toThrow(
      expect.objectContaining({ code: 'SUPERVISOR_CONFIG_INVALID' }),
    );
    const clock = new ManualClock();
    control.restart = async (name) => ({ ...(control.get(name) as PluginSummary), state: 'failed' });
    supervisor = createPluginSupervisor({
      control,
      bus,
      clock,
      intensity: { maxRestarts: 1 },
      backoff: { jitter: 0 },
    });
    await expect(
      Promise.all([supervisor.pluginFailed('x'), clock.advanceAsync(1_000)]).then(([outcome]) => outcome),
    ).resolves.toBe('gave-up');
    expect(supervisor.status()[0]?.lastFailure?.reason).toBe('plugin "x" is failed after the restart');
    await expect(supervisor.pluginFailed('nope')).resolves.toBe('ignored');
  });
});
