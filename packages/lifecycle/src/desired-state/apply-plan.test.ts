import { describe, expect, it } from '@jest/globals';
import type { PluginIsolation } from '@trellis/core';
import { ManualClock } from '@trellis/core';
import fc from 'fast-check';
import { type ApplyPlanEvent, applyPlan, type DesiredStateExecutor } from './apply-plan.js';
import { PlanHasProblemsError } from './desired-state-errors.js';
import { actionLine, desiredOf, digestOf, sourceOf, want, wantSource } from './desired-state-fixtures.js';
import type { DesiredSourceManifest, DesiredStatePlan, PlanAction } from './desired-state-plan.js';
import type { DesiredPlugin, DesiredState } from './desired-state-schema.js';
import { MemoryPluginStore } from './memory-plugin-store.js';
import { planDesiredState } from './plan-desired-state.js';

/** A store holding `weather` 1.0.0 (enabled), `old` 0.3.0 and `x` 1.0.0 (enabled). */
function storeWithPlugins(sources: ReadonlyMap<string, DesiredSourceManifest>): MemoryPluginStore {
  const store = new MemoryPluginStore(sources);
  for (const [name, version] of [
    ['weather', '1.0.0'],
    ['old', '0.3.0'],
    ['x', '1.0.0'],
  ] as const) {
    store.plugins.set(name, {
      active: version,
      held: new Map([[version, { digest: digestOf(name, version) }]]),
      enabled: true,
    });
  }
  return store;
}

function scenario() {
  const sources = new Map([
    sourceOf('hello', '1.0.0'),
    sourceOf('weather', '1.2.0', { dependencies: { hello: '^1.0.0' } }),
  ]);
  const desired = desiredOf(
    wantSource('hello', { isolation: 'worker' }),
    wantSource('weather'),
    want('x', { version: '1.0.0', enabled: false }),
  );
  const store = storeWithPlugins(sources);
  const plan = () => planDesiredState(desired, store.state(), { sources });
  return { sources, desired, store, plan };
}

describe('applyPlan', () => {
  it('runs every action in plan order through the executor', async () => {
    const { store, plan } = scenario();
    const first = plan();
    const result = await applyPlan(first, store, { clock: new ManualClock() });
    expect(store.log).toEqual([
      'uninstall old',
      'disable x',
      'install hello',
      'set-isolation hello',
      'enable hello',
      'upgrade weather',
    ]);
    expect(result).toEqual({ applied: first.actions, skipped: [], durationMs: 0 });
  });

  it('leaves nothing to do: planning again after applying gives an empty plan', async () => {
    const { store, plan } = scenario();
    await applyPlan(plan(), store);
    expect(plan()).toEqual({ actions: [], unchanged: ['hello', 'weather', 'x'], problems: [] });
  });

  it('is a no-op the second time', async () => {
    const { store, plan } = scenario();
    await applyPlan(plan(), store);
    const before = structuredClone([...store.plugins]);
    const logged = store.log.length;
    const second = await applyPlan(plan(), store);
    expect(second.applied).toEqual([]);
    expect(store.log).toHaveLength(logged);
    expect([...store.plugins]).toEqual(before);
  });

  it('stops at the first failure, does not attempt later actions, and reports instead of throwing', async () => {
    const { store, plan } = scenario();
    const first = plan();
    store.failOn = (action) => action.kind === 'install';
    const result = await applyPlan(first, store);
    expect(result.applied.map(actionLine)).toEqual(['uninstall old 0.3.0', 'disable x']);
    expect(result.failed?.action).toBe(first.actions[2]);
    expect((result.failed?.error as Error | undefined)?.message).toBe('install hello failed');
    expect(result.skipped.map(actionLine)).toEqual([
      'set-isolation hello -→worker',
      'enable hello',
      'upgrade weather 1.0.0→1.2.0',
    ]);
    expect(store.log).toEqual(['uninstall old', 'disable x']);
  });

  it('finishes the job when planned and applied again after a failure is fixed', async () => {
    const { store, plan } = scenario();
    store.failOn = (action) => action.kind === 'upgrade';
    await applyPlan(plan(), store);
    store.failOn = undefined;
    const rest = plan();
    expect(rest.actions.map(actionLine)).toEqual(['upgrade weather 1.0.0→1.2.0']);
    await applyPlan(rest, store);
    expect(plan().actions).toEqual([]);
  });

  it('reports a synchronous throw of an executor method as a failure too', async () => {
    const { plan } = scenario();
    const throwing = new Proxy({} as DesiredStateExecutor, {
      get: () => () => {
        throw new Error('not implemented');
      },
    });
    const result = await applyPlan(plan(), throwing);
    expect(result.applied).toEqual([]);
    expect((result.failed?.error as Error | undefined)?.message).toBe('not implemented');
    expect(result.skipped).toHaveLength(5);
  });

  it('refuses a plan with problems before running any action', async () => {
    const store = new MemoryPluginStore();
    const plan: DesiredStatePlan = {
      actions: [{ kind: 'enable', name: 'a', reason: '' }],
      unchanged: [],
      problems: [{ kind: 'source-not-read', plugins: ['a'], message: 'a: not read' }],
    };
    await expect(applyPlan(plan, store)).rejects.toThrow(PlanHasProblemsError);
    await expect(applyPlan(plan, store)).rejects.toMatchObject({ code: 'PLUGIN_PLAN_HAS_PROBLEMS' });
    expect(store.log).toEqual([]);
  });

  it('reports progress before and after each action, with timings from the clock', async () => {
    const clock = new ManualClock();
    const events: string[] = [];
    const slow: DesiredStateExecutor = {
      ...methodsOf(async () => clock.advance(5)),
      disable: async () => {
        clock.advance(7);
        throw new Error('store locked');
      },
    };
    const plan: DesiredStatePlan = {
      actions: [
        { kind: 'enable', name: 'a', reason: '' },
        { kind: 'disable', name: 'b', reason: '' },
        { kind: 'enable', name: 'c', reason: '' },
      ],
      unchanged: [],
      problems: [],
    };
    const onAction = (event: ApplyPlanEvent) => {
      const timing = event.type === 'start' ? '' : ` ${event.durationMs}ms`;
      events.push(`${event.type} ${event.index + 1}/${event.total} ${event.action.name}${timing}`);
    };
    const result = await applyPlan(plan, slow, { clock, onAction });
    expect(events).toEqual(['start 1/3 a', 'applied 1/3 a 5ms', 'start 2/3 b', 'failed 2/3 b 7ms']);
    expect(result.durationMs).toBe(12);
  });

  it('keeps going when the progress listener throws', async () => {
    const { store, plan } = scenario();
    const result = await applyPlan(plan(), store, {
      onAction: () => {
        throw new Error('display broke');
      },
    });
    expect(result.failed).toBeUndefined();
    expect(result.applied).toHaveLength(6);
  });

  it('calls the executor method of every action kind', async () => {
    const calls: string[] = [];
    const executor = methodsOf(async (method, action) => {
      calls.push(`${method}:${action.kind}`);
    });
    const actions: PlanAction[] = [
      { kind: 'install', name: 'a', version: '1.0.0', reason: '' },
      { kind: 'upgrade', name: 'a', from: '1.0.0', to: '2.0.0', reason: '' },
      { kind: 'downgrade', name: 'a', from: '2.0.0', to: '1.0.0', reason: '' },
      { kind: 'reinstall', name: 'a', version: '1.0.0', source: '/s', digest: 'd', reason: '' },
      { kind: 'uninstall', name: 'a', version: '1.0.0', reason: '' },
      { kind: 'enable', name: 'a', reason: '' },
      { kind: 'disable', name: 'a', reason: '' },
      { kind: 'set-isolation', name: 'a', to: 'process', reason: '' },
    ];
    await applyPlan({ actions, unchanged: [], problems: [] }, executor);
    expect(calls).toEqual([
      'install:install',
      'upgrade:upgrade',
      'downgrade:downgrade',
      'reinstall:reinstall',
      'uninstall:uninstall',
      'enable:enable',
      'disable:disable',
      'setIsolation:set-isolation',
    ]);
  });
});

function methodsOf(
  body: (method: keyof DesiredStateExecutor, action: PlanAction) => Promise<unknown>,
): DesiredStateExecutor {
  const methods = [
    'install',
    'upgrade',
    'downgrade',
    'reinstall',
    'uninstall',
    'enable',
    'disable',
    'setIsolation',
  ] as const;
  return Object.fromEntries(
    methods.map((method) => [method, (action: PlanAction) => body(method, action)]),
  ) as unknown as DesiredStateExecutor;
}

describe('plan → apply → plan (property)', () => {
  const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
  const VERSIONS = ['0.9.0', '1.0.0', '1.1.0', '2.0.0'];
  const isolation = fc.constantFrom<PluginIsolation | undefined>(undefined, 'inline', 'worker', 'process');
  const installedArb = fc.option(
    fc.record({
      held: fc.subarray(VERSIONS, { minLength: 1 }),
      active: fc.option(fc.nat()),
      enabled: fc.boolean(),
      isolation,
      variant: fc.nat(1),
    }),
  );
  const desiredArb = fc.option(
    fc.record({
      fromStore: fc.boolean(),
      pick: fc.nat(),
      pinVersion: fc.boolean(),
      variant: fc.nat(1),
      enabled: fc.boolean(),
      isolation,
      dependsOn: fc.array(fc.boolean(), { minLength: NAMES.length, maxLength: NAMES.length }),
    }),
  );
  const worldArb = fc.record({
    installed: fc.array(installedArb, { minLength: NAMES.length, maxLength: NAMES.length }),
    desired: fc.array(desiredArb, { minLength: NAMES.length, maxLength: NAMES.length }),
  });
  type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
  const digest = (name: string, version: string, variant: number) => `${digestOf(name, version)}-${variant}`;

  /** Builds a store and a desired state without problems: dependencies only point back, at enabled plugins. */
  function build(world: World) {
    const sources = new Map<string, DesiredSourceManifest>();
    const store = new MemoryPluginStore(sources);
    const plugins: DesiredPlugin[] = [];
    NAMES.forEach((name, i) => {
      const record = world.installed[i];
      if (record) {
        store.plugins.set(name, {
          held: new Map(
            record.held.map((version) => [version, { digest: digest(name, version, record.variant) }]),
          ),
          enabled: record.enabled,
          ...(record.active === null ? {} : { active: record.held[record.active % record.held.length] }),
          ...(record.isolation === undefined ? {} : { isolation: record.isolation }),
        });
      }
      const entry = world.desired[i];
      if (!entry) return;
      const settings = {
        enabled: entry.enabled,
        ...(entry.isolation === undefined ? {} : { isolation: entry.isolation }),
      };
      if (entry.fromStore && record) {
        plugins.push(want(name, { version: record.held[entry.pick % record.held.length], ...settings }));
        return;
      }
      const version = VERSIONS[entry.pick % VERSIONS.length] as string;
      const dependencies: Record<string, string> = {};
      plugins.forEach((earlier) => {
        if (entry.dependsOn[NAMES.indexOf(earlier.name)] && (!entry.enabled || earlier.enabled))
          dependencies[earlier.name] = '*';
      });
      const [path, manifest] = sourceOf(name, version, {
        digest: digest(name, version, entry.variant),
        dependencies,
      });
      sources.set(path, manifest);
      plugins.push(wantSource(name, { ...(entry.pinVersion ? { version } : {}), ...settings }));
    });
    return { store, sources, desired: desiredOf(...plugins) as DesiredState };
  }

  it('converges: after applying a plan, planning again yields no action', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const { store, sources, desired } = build(world);
        const first = planDesiredState(desired, store.state(), { sources });
        expect(first.problems).toEqual([]);
        const result = await applyPlan(first, store);
        expect(result.failed).toBeUndefined();
        const second = planDesiredState(desired, store.state(), { sources });
        expect(second.actions).toEqual([]);
        expect(second.problems).toEqual([]);
        expect(second.unchanged).toEqual(desired.plugins.map((plugin) => plugin.name).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('enables each new plugin right after installing it, once its dependencies are enabled', async () => {
    const { store, sources, desired } = build({
      installed: [null, null, null, null, null, null],
      desired: NAMES.map(() => ({
        fromStore: false,
        pick: 1,
        pinVersion: false,
        variant: 0,
        enabled: true,
        isolation: undefined,
        dependsOn: NAMES.map(() => true),
      })),
    });
    const plan = planDesiredState(desired, store.state(), { sources });
    const lines = plan.actions.map(actionLine);
    expect(lines).toEqual(NAMES.flatMap((name) => [`install ${name} 1.0.0`, `enable ${name}`]));
    await applyPlan(plan, store);
    expect([...store.plugins.values()].every((record) => record.enabled)).toBe(true);
  });
});
