import { describe, expect, it } from '@jest/globals';
import { type HealthCheckResult, ManualClock, type PluginControl, type PluginSummary } from '@trellis/core';
import { runHealthGate } from './health-gate.js';

function control(states: Record<string, PluginSummary['state']>, health: () => HealthCheckResult) {
  const summary = (name: string): PluginSummary | undefined =>
    states[name] === undefined
      ? undefined
      : {
          name,
          version: '1.0.0',
          state: states[name],
          isolation: 'inline',
          critical: false,
          dependencies: [],
        };
  return {
    list: () => [],
    get: summary,
    health: async () => health(),
    start: async () => summary('x') as PluginSummary,
    stop: async () => summary('x') as PluginSummary,
    restart: async () => summary('x') as PluginSummary,
  } satisfies PluginControl;
}

describe('runHealthGate', () => {
  it('passes at once when every plugin is active and healthy', async () => {
    const clock = new ManualClock();
    const gate = await runHealthGate(
      control({ a: 'active', b: 'active' }, () => ({ status: 'pass' })),
      ['a', 'b'],
      clock,
    );
    expect(gate).toEqual({ passed: true, durationMs: 0 });
  });

  it('asks again while a plugin is starting or unhealthy, and passes once it is healthy', async () => {
    const clock = new ManualClock();
    const states: Record<string, PluginSummary['state']> = { a: 'starting' };
    let status: HealthCheckResult['status'] = 'fail';
    const gate = runHealthGate(
      control(states, () => ({ status })),
      ['a'],
      clock,
      { timeoutMs: 1_000, intervalMs: 100 },
    );
    await clock.advanceAsync(100);
    states.a = 'active';
    await clock.advanceAsync(100);
    status = 'pass';
    await clock.advanceAsync(100);
    expect(await gate).toEqual({ passed: true, durationMs: 300 });
  });

  it('gives up after its timeout with the last reason, and at once on a failed plugin', async () => {
    const clock = new ManualClock();
    const gate = runHealthGate(
      control({ a: 'active' }, () => ({ status: 'warn', message: 'cache cold' })),
      ['a'],
      clock,
      { timeoutMs: 250, intervalMs: 100 },
    );
    await clock.advanceAsync(300);
    expect(await gate).toEqual({
      passed: false,
      durationMs: 250,
      reason: 'not healthy within 250 ms: "a" reports warn: cache cold',
    });
    const failed = await runHealthGate(
      control({}, () => ({ status: 'pass' })),
      ['gone'],
      clock,
    );
    expect(failed).toMatchObject({ passed: false, reason: '"gone" failed (not running)' });
  });
});
