import { describe, expect, it } from '@jest/globals';
import {
  type ConfigChange,
  type ConfigReader,
  createPlatform,
  EVENT_BUS,
  HEALTH_REGISTRY,
  resolveService,
} from '@trellis/core';
import { ResilienceHealthRegistry } from '../health/resilience-health-registry.js';
import { CHAOS, LIMITERS, POLICIES } from '../tokens.js';
import { createResilienceModule } from './resilience-module.js';

/** A config reader whose values and change events the test controls. */
function fakeReader(values: Record<string, unknown>) {
  const listeners: ((change: ConfigChange) => void)[] = [];
  const reader: ConfigReader = {
    get: (path: string) => values[path] as never,
    has: (path: string) => path in values,
    onChange: (listener: (change: ConfigChange) => void) => {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
  } as unknown as ConfigReader;
  const change = (path: string, value: unknown) => {
    values[path] = value;
    for (const listener of [...listeners]) listener({ paths: [path] });
  };
  return { reader, change };
}

describe('createResilienceModule', () => {
  it('provides the health registry, policies, limiters and chaos, and runs the health scheduler', async () => {
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [createResilienceModule({ config: { policies: { defaults: { timeout: { ms: 50 } } } } })],
    });
    await platform.start();
    const health = platform.resolve(HEALTH_REGISTRY);
    expect(health).toBeInstanceOf(ResilienceHealthRegistry);
    expect((health as ResilienceHealthRegistry).running).toBe(true);
    const policy = platform.resolve(POLICIES).get('demo', 'upstream');
    await expect(policy.execute(async () => 'ok')).resolves.toBe('ok');
    expect(platform.resolve(LIMITERS).forPlugin('demo').limit).toBeGreaterThan(0);
    expect(platform.resolve(CHAOS).enabled).toBe(false);
    await platform.stop();
    expect((health as ResilienceHealthRegistry).running).toBe(false);
  });

  it('follows policy and chaos changes in the platform config', async () => {
    const { reader, change } = fakeReader({
      'resilience.policies': { defaults: { retry: { maxAttempts: 1 } } },
      'resilience.chaos': { enabled: false },
    });
    const platform = createPlatform({
      logLevel: 'silent',
      services: { configReader: reader },
      modules: [createResilienceModule()],
    });
    await platform.start();
    const policies = platform.resolve(POLICIES);
    expect(policies.resolve('p', 'c').retry).toMatchObject({ maxAttempts: 1 });
    change('resilience.policies', { defaults: { retry: { maxAttempts: 4 } } });
    expect(policies.resolve('p', 'c').retry).toMatchObject({ maxAttempts: 4 });
    change('resilience.chaos', { enabled: true, seed: 1, rules: [{ target: '*', fault: 'error', rate: 1 }] });
    const chaos = platform.resolve(CHAOS);
    expect(chaos.enabled).toBe(true);
    await expect(chaos.maybeInject('plugin:x')).rejects.toMatchObject({ code: 'RESILIENCE_CHAOS_FAULT' });
    // An invalid change is refused and the previous rules stay.
    change('resilience.chaos', { enabled: 'yes' });
    expect(chaos.enabled).toBe(true);
    await platform.stop();
  });

  it('hands a chaos crash its target, so the host can kill what it names', async () => {
    const crashed: string[] = [];
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createResilienceModule({
          config: {
            chaos: { enabled: true, seed: 7, rules: [{ target: 'plugin:*', fault: 'crash', rate: 1 }] },
          },
          crash: (target) => crashed.push(target),
        }),
      ],
    });
    await platform.start();
    await expect(platform.resolve(CHAOS).maybeInject('plugin:notes')).rejects.toMatchObject({
      code: 'RESILIENCE_CHAOS_FAULT',
    });
    expect(crashed).toEqual(['plugin:notes']);
    await platform.stop();
  });

  it('rejects an invalid config at construction, naming the field', () => {
    expect(() => createResilienceModule({ config: { chaos: { enabled: 'on' } } as never })).toThrow(
      /enabled/,
    );
    expect(() => createResilienceModule({ config: { chaos: { enabled: 'on' } } as never })).toThrow(
      expect.objectContaining({ code: 'RESILIENCE_CONFIG_INVALID' }),
    );
  });

  it('starts the event-loop watchdog when enabled: a blocked loop is reported on the bus', async () => {
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createResilienceModule({ config: { watchdog: { enabled: true, thresholdMs: 200, stderr: false } } }),
      ],
    });
    await platform.start();
    const bus = resolveService(platform.container, EVENT_BUS);
    const blocked: unknown[] = [];
    bus.on('watchdog.blocked', (event) => void blocked.push(event));
    // Give the watchdog's worker time to start watching, then block the loop past the threshold.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const until = Date.now() + 600;
    while (Date.now() < until) {
      // busy: the event loop is blocked
    }
    for (let i = 0; i < 50 && blocked.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blocked.length).toBeGreaterThan(0);
    await platform.stop();
  });
});
