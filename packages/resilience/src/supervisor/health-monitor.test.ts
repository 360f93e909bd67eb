import { describe, expect, it } from '@jest/globals';
import { type HealthCheckResult, ManualClock } from '@trellis/core';
import { HealthMonitor } from './health-monitor.js';
import { HealthPollSchema } from './supervisor-config.js';

function setup(results: Record<string, () => Promise<HealthCheckResult>>, config = {}) {
  const clock = new ManualClock();
  const failures: [string, string][] = [];
  const monitor = new HealthMonitor({
    clock,
    config: HealthPollSchema.parse({ intervalMs: 1_000, failureThreshold: 2, timeoutMs: 500, ...config }),
    targets: () => Object.keys(results),
    check: (name) => results[name]?.() ?? Promise.resolve({ status: 'pass' }),
    onFailure: (name, reason) => void failures.push([name, reason]),
  });
  return { clock, failures, monitor };
}

describe('HealthMonitor', () => {
  it('reports after consecutive failures only; pass and warn reset the count', async () => {
    let status: HealthCheckResult['status'] = 'fail';
    const { monitor, failures } = setup({ a: async () => ({ status }) });
    await monitor.pollOnce();
    status = 'warn';
    await monitor.pollOnce();
    status = 'fail';
    await monitor.pollOnce();
    expect(failures).toEqual([]);
    await monitor.pollOnce();
    expect(failures).toEqual([['a', 'health failed 2 consecutive times: status fail']]);
    await monitor.pollOnce();
    expect(failures).toHaveLength(1);
  });

  it('counts a throw and a timeout as failures', async () => {
    const { monitor, failures, clock } = setup(
      {
        thrower: async () => Promise.reject(new Error('probe crashed')),
        hung: () => new Promise(() => undefined),
      },
      { failureThreshold: 1 },
    );
    const polling = monitor.pollOnce();
    await clock.advanceAsync(500);
    await polling;
    expect(failures).toEqual([
      ['thrower', 'health failed 1 consecutive times: probe crashed'],
      ['hung', 'health failed 1 consecutive times: no answer within 500 ms'],
    ]);
  });

  it('polls on its interval until stopped, and reports nothing after stop', async () => {
    let calls = 0;
    const { monitor, failures, clock } = setup({
      a: async () => {
        calls += 1;
        return { status: 'fail' };
      },
    });
    monitor.start();
    monitor.start();
    await clock.advanceAsync(2_000);
    expect(calls).toBe(2);
    expect(failures).toHaveLength(1);
    monitor.stop();
    await clock.advanceAsync(5_000);
    expect(calls).toBe(2);
    await monitor.pollOnce();
    expect(failures).toHaveLength(1);
  });

  it('does not poll when intervalMs is 0, and forgets children no longer polled', async () => {
    const targets = ['a'];
    const clock = new ManualClock();
    const failures: string[] = [];
    const monitor = new HealthMonitor({
      clock,
      config: HealthPollSchema.parse({ failureThreshold: 2 }),
      targets: () => targets,
      check: async () => ({ status: 'fail' }),
      onFailure: (name) => void failures.push(name),
    });
    monitor.start();
    expect(clock.pendingTimers).toBe(0);
    await monitor.pollOnce();
    targets.length = 0;
    await monitor.pollOnce();
    targets.push('a');
    await monitor.pollOnce();
    expect(failures).toEqual([]);
  });
});
