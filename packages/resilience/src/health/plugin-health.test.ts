import { describe, expect, it, jest } from '@jest/globals';
import {
  type HealthCheckResult,
  LocalEventBus,
  LocalHealthRegistry,
  ManualClock,
  type PluginControl,
  type PluginSummary,
} from '@trellis/core';
import { type PluginTransitionLike, registerPluginHealth } from './plugin-health.js';
import { ResilienceHealthRegistry } from './resilience-health-registry.js';

function summary(name: string, state: PluginSummary['state'], critical: boolean): PluginSummary {
  return { name, version: '1.0.0', state, isolation: 'inline', critical, dependencies: [] };
}

/** A PluginControl over a mutable list; `health()` answers from `results`. */
function fakeControl(plugins: PluginSummary[], results: Record<string, HealthCheckResult> = {}) {
  const health = jest.fn(async (name: string): Promise<HealthCheckResult> => {
    const plugin = plugins.find((p) => p.name === name);
    if (plugin?.state !== 'active') return { status: 'fail', message: `plugin is ${plugin?.state}` };
    return results[name] ?? { status: 'pass' };
  });
  const control = {
    list: () => plugins,
    get: (name: string) => plugins.find((p) => p.name === name),
    health,
  } as unknown as PluginControl;
  return { control, health, plugins, results };
}

describe('registerPluginHealth', () => {
  it('gates readiness on critical plugins and only degrades it for optional ones', async () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock(), cacheMs: 0 });
    const { control, results } = fakeControl([
      summary('auth', 'active', true),
      summary('search', 'active', false),
      summary('reports', 'resolved', false),
    ]);
    const binding = registerPluginHealth(registry, control);
    expect(binding.names()).toEqual(['plugin:auth', 'plugin:search', 'plugin:reports']);

    let report = await registry.check('readiness');
    expect(report.status).toBe('pass');
    expect(report.checks['plugin:reports']).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/^lazy/),
    });
    // Plugin checks answer readiness only: a sick plugin is no reason to restart the host.
    expect(Object.keys((await registry.check('liveness')).checks)).toEqual([]);

    results.search = { status: 'fail', message: 'index missing' };
    report = await registry.check('readiness');
    expect(report).toMatchObject({ status: 'warn', reasons: { 'plugin:search': 'index missing' } });

    results.auth = { status: 'fail', message: 'jwks unreachable' };
    report = await registry.check('readiness');
    expect(report.status).toBe('fail');
    expect(report.checks['plugin:auth']).toMatchObject({ critical: true, message: 'jwks unreachable' });
  });

  it('fails a plugin that is not active, with its state', async () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const { control } = fakeControl([summary('billing', 'failed', true)]);
    registerPluginHealth(registry, control);
    expect(await registry.check('readiness')).toMatchObject({
      status: 'fail',
      reasons: { 'plugin:billing': 'plugin is failed' },
    });
  });

  it('re-syncs: adds new plugins, drops uninstalled ones, re-registers a changed critical flag', async () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const { control, plugins } = fakeControl([summary('a', 'active', true), summary('b', 'active', false)]);
    const binding = registerPluginHealth(registry, control, { prefix: 'p/' });
    plugins.push(summary('c', 'active', true));
    plugins[0] = summary('a', 'active', false);
    plugins[1] = summary('b', 'uninstalled', false);
    binding.sync();
    expect(registry.names()).toEqual(['p/a', 'p/c']);
    const report = await registry.check();
    expect(report.checks['p/a']?.critical).toBe(false);

    binding.dispose();
    expect(registry.names()).toEqual([]);
  });

  it('re-syncs on plugin.transition events and stops listening when disposed', () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const { control, plugins } = fakeControl([]);
    const bus = new LocalEventBus<{ 'plugin.transition': PluginTransitionLike }>();
    const binding = registerPluginHealth(registry, control, { events: bus });
    expect(registry.names()).toEqual([]);
    plugins.push(summary('late', 'resolved', true));
    bus.emit('plugin.transition', { plugin: 'late', from: 'discovered', to: 'resolved' });
    expect(registry.names()).toEqual(['plugin:late']);
    binding.dispose();
    expect(bus.listenerCount('plugin.transition')).toBe(0);
  });

  it('asks a plugin on its manifest’s own health period and timeout, and re-registers when they change', () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const own = { ...summary('own', 'active', false), healthIntervalMs: 30_000, healthTimeoutMs: 250 };
    const { control, plugins } = fakeControl([own, summary('plain', 'active', false)]);
    const binding = registerPluginHealth(registry, control, { intervalMs: 5_000 });
    const byName = () => Object.fromEntries(registry.snapshot().map((check) => [check.name, check]));
    expect(byName()['plugin:own']).toMatchObject({ intervalMs: 30_000, timeoutMs: 250 });
    expect(byName()['plugin:plain']).toMatchObject({ intervalMs: 5_000 });
    plugins[0] = { ...own, healthIntervalMs: 60_000 };
    binding.sync();
    expect(byName()['plugin:own']).toMatchObject({ intervalMs: 60_000 });
  });

  it('passes intervalMs and timeoutMs through, and works with core’s registry', async () => {
    const clock = new ManualClock();
    const registry = new ResilienceHealthRegistry({ clock });
    const { control, health, plugins } = fakeControl([summary('a', 'active', true)]);
    registerPluginHealth(registry, control, { intervalMs: 10_000, timeoutMs: 100 });
    expect(registry.snapshot()[0]).toMatchObject({ intervalMs: 10_000, timeoutMs: 100 });
    registry.start();
    await clock.advanceAsync(20_000);
    expect(health).toHaveBeenCalledTimes(3);
    registry.stop();

    plugins.splice(0, 1);
    const local = new LocalHealthRegistry({ clock });
    const { control: other } = fakeControl([summary('x', 'active', true)]);
    registerPluginHealth(local, other);
    expect((await local.check()).status).toBe('pass');
    // A plugin the host forgot between sync and check fails rather than passing silently.
    const gone = fakeControl([summary('y', 'active', true)]);
    const registry2 = new ResilienceHealthRegistry({ clock });
    registerPluginHealth(registry2, gone.control);
    gone.plugins.splice(0, 1);
    expect((await registry2.check()).reasons).toEqual({ 'plugin:y': 'not known to the plugin host' });
  });
});
