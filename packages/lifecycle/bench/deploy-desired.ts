// Deployment section, desired-state part: `trellis.plugins.yaml` with 1,000 plugins planned and
// applied against a plugin store already holding them (offline: no running manager), with 10
// changes per run, then planned and applied again (nothing to do); against the floor any planner
// pays, reading the 1,000 manifests.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '@trellis/discovery';
import {
  applyDeployment,
  type DesiredStatePlan,
  installedPluginStates,
  loadDesiredState,
  PluginDeployer,
  PluginStore,
  planDeployment,
  planDesiredState,
  readDesiredSources,
  readSourceManifest,
  StoreStateSchema,
} from '@trellis/lifecycle';
import {
  type DeployPluginSpec,
  leaves,
  writeDeployPlugin,
  writeDeployPlugins,
  writeDesiredStateFile,
} from './deploy-fixtures.js';
import { generateManifests } from './fixtures.js';
import { collectGarbage } from './measure.js';

/** Sizes and run counts of the desired-state part. */
export const DESIRED_SETUP = {
  plugins: 1_000,
  upgrades: 5,
  installs: 3,
  uninstalls: 2,
  runs: 12,
  warmups: 1,
  /** Sources read at once by the baseline, as `readDesiredSources` does by default. */
  concurrency: 8,
} as const;

/** Every sample list of the desired-state part, ms, one entry per run. */
export interface DesiredSamples {
  /** Baseline: `readManifest` of every source folder, 8 at a time. */
  readonly readManifests: number[];
  /** `PluginStore.open` of the 1,000-plugin store (a CLI run or a host start opens it once). */
  readonly open: number[];
  /** One `readdir` per plugin's versions folder, one after the other: `open`'s recovery scan. */
  readonly recoveryScan: number[];
  /** `store.json` read, parsed and validated with `StoreStateSchema`, as `open` does first. */
  readonly stateRead: number[];
  /** `planDeployment`'s steps, run one by one on a freshly opened store. */
  readonly parse: number[];
  readonly readSources: number[];
  readonly installedStates: number[];
  readonly pure: number[];
  /** `planDeployment` on a freshly opened store. */
  readonly plan: number[];
  readonly apply: number[];
  /** `planDeployment` again after the apply, on another freshly opened store: 0 actions. */
  readonly noopPlan: number[];
  readonly noopApply: number[];
}

/** What the desired-state part measured, and the set-up it ran on. */
export interface DesiredResults extends DesiredSamples {
  /** Installing the 1,000 plugins before timing: `stage` + `hold(..., { activate: true })` each, ms. */
  readonly setupMs: number;
  /** Each of those installs, in order, ms. */
  readonly installMs: readonly number[];
  /** Time of each applied action by kind (from `applyPlan`'s `start` to its `applied` event), every timed run. */
  readonly actionMs: Readonly<Record<string, number[]>>;
  /** Actions of each changing plan, by kind (the same every run). */
  readonly actions: Readonly<Record<string, number>>;
  /** Plugins in the store at the first run. */
  readonly storePlugins: number;
  /** Size of store.json at the end, bytes. */
  readonly stateBytes: number;
  /** Dependency edges of the generated graph. */
  readonly dependencyEdges: number;
}

/** The manifests' own folders, read 8 at a time with `readManifest`: the baseline. */
async function readAllManifests(dirs: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const dir = dirs[next++] as string;
      if ((await readManifest(dir)) === undefined) throw new Error(`no manifest in ${dir}`);
    }
  };
  await Promise.all(Array.from({ length: DESIRED_SETUP.concurrency }, worker));
}

async function time<T>(into: number[] | undefined, work: () => Promise<T>): Promise<T> {
  const began = performance.now();
  const result = await work();
  into?.push(performance.now() - began);
  return result;
}

function countKinds(plan: DesiredStatePlan): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const action of plan.actions) kinds[action.kind] = (kinds[action.kind] ?? 0) + 1;
  return kinds;
}

function sameKinds(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/** Runs the desired-state part under `root`. */
export async function measureDesired(root: string): Promise<DesiredResults> {
  const sources = join(root, 'sources');
  const storeRoot = join(root, 'store');
  const file = join(root, 'trellis.plugins.yaml');

  // 1,000 plugins in a seeded dependency graph (about 10% roots, 1–3 dependencies each).
  const specs: DeployPluginSpec[] = generateManifests(DESIRED_SETUP.plugins).map((m) => ({
    name: m.name,
    version: '1.0.0',
    dependencies: Object.fromEntries(Object.keys(m.dependencies ?? {}).map((d) => [d, '^1.0.0'])),
  }));
  const dirs = await writeDeployPlugins(sources, specs);
  const desired = new Map(specs.map((spec, i) => [spec.name, dirs[i] as string]));
  const graph = new Map(specs.map((spec) => [spec.name, Object.keys(spec.dependencies ?? {})]));

  const setupBegan = performance.now();
  const setupStore = await PluginStore.open(storeRoot);
  const installMs: number[] = [];
  for (const dir of dirs) {
    const began = performance.now();
    await setupStore.hold(await setupStore.stage(dir), { activate: true });
    installMs.push(performance.now() - began);
  }
  const setupMs = performance.now() - setupBegan;

  // Upgraded every run: spread over the graph, the first a root many others depend on.
  const upgraded = ['p0001', 'p0250', 'p0500', 'p0750', 'p1000'].slice(0, DESIRED_SETUP.upgrades);
  const removable = leaves(graph).filter((name) => !upgraded.includes(name));
  const samples: DesiredSamples = {
    readManifests: [],
    open: [],
    recoveryScan: [],
    stateRead: [],
    parse: [],
    readSources: [],
    installedStates: [],
    pure: [],
    plan: [],
    apply: [],
    noopPlan: [],
    noopApply: [],
  };
  const actionMs: Record<string, number[]> = {};
  let actionBegan = 0;
  let expectedKinds: Record<string, number> | undefined;
  let storePlugins = 0;
  let previousInstalls: string[] = [];

  for (let run = 0; run < DESIRED_SETUP.warmups + DESIRED_SETUP.runs; run++) {
    const keep = run >= DESIRED_SETUP.warmups;
    const pick = <K extends keyof DesiredSamples>(key: K) => (keep ? samples[key] : undefined);
    // This run's 10 changes, written before any timer starts.
    const version = `1.${run + 1}.0`;
    for (const name of upgraded) {
      const dependencies = Object.fromEntries((graph.get(name) ?? []).map((d) => [d, '^1.0.0']));
      desired.set(name, await writeDeployPlugin(sources, { name, version, dependencies }));
    }
    const installs = Array.from({ length: DESIRED_SETUP.installs }, (_, i) => `new-r${run}-${'abc'[i]}`);
    for (const name of installs) {
      desired.set(
        name,
        await writeDeployPlugin(sources, { name, version: '1.0.0', dependencies: { p0001: '^1.0.0' } }),
      );
    }
    const uninstalls = (run === 0 ? removable : previousInstalls).slice(0, DESIRED_SETUP.uninstalls);
    for (const name of uninstalls) desired.delete(name);
    previousInstalls = installs;
    await writeDesiredStateFile(file, desired);
    const sourceDirs = [...desired.values()];

    collectGarbage();
    await time(pick('readManifests'), () => readAllManifests(sourceDirs));

    await time(pick('stateRead'), async () =>
      StoreStateSchema.parse(JSON.parse(await readFile(join(storeRoot, 'store.json'), 'utf8'))),
    );
    await time(pick('recoveryScan'), async () => {
      const packages = join(storeRoot, 'packages');
      for (const folder of await readdir(packages)) await readdir(join(packages, folder));
    });

    // planDeployment's steps one by one, on a store opened afresh (its manifest cache cold).
    collectGarbage();
    const stepStore = await time(pick('open'), () => PluginStore.open(storeRoot));
    storePlugins ||= stepStore.list().length;
    const parsed = await time(pick('parse'), () => loadDesiredState(file));
    const read = await time(pick('readSources'), () =>
      readDesiredSources(parsed, (source) => readSourceManifest(stepStore, source)),
    );
    const installed = await time(pick('installedStates'), () => installedPluginStates(stepStore));
    const stepPlan = await time(pick('pure'), async () =>
      planDesiredState(parsed, installed, { sources: read }),
    );

    // The real thing: plan, apply, then plan and apply again, each plan on a freshly opened store.
    collectGarbage();
    const store = await PluginStore.open(storeRoot);
    const plan = await time(pick('plan'), () => planDeployment(store, file));
    const kinds = countKinds(plan);
    if (plan.problems.length > 0) throw new Error(`plan has problems: ${JSON.stringify(plan.problems)}`);
    if (!sameKinds(kinds, countKinds(stepPlan))) throw new Error('planDeployment and its steps disagree');
    expectedKinds ??= kinds;
    if (!sameKinds(kinds, expectedKinds)) throw new Error(`run ${run}: actions ${JSON.stringify(kinds)}`);
    const result = await time(pick('apply'), () =>
      applyDeployment(new PluginDeployer({ store }), plan, {
        // Timed here: the event's own durationMs comes from a millisecond clock.
        onAction: (event) => {
          if (event.type === 'start') actionBegan = performance.now();
          if (!keep || event.type !== 'applied') return;
          actionMs[event.action.kind] = [
            ...(actionMs[event.action.kind] ?? []),
            performance.now() - actionBegan,
          ];
        },
      }),
    );
    if (result.failed !== undefined || result.applied.length !== plan.actions.length) {
      throw new Error(
        `apply failed at ${result.failed?.action.kind} ${result.failed?.action.name}: ${String(result.failed?.error)}`,
      );
    }

    collectGarbage();
    const again = await PluginStore.open(storeRoot);
    const noop = await time(pick('noopPlan'), () => planDeployment(again, file));
    if (noop.actions.length > 0 || noop.problems.length > 0) {
      throw new Error(
        `planning again gave ${noop.actions.length} actions: ${noop.actions.map((a) => `${a.kind} ${a.name}`).join(', ')}`,
      );
    }
    const noopResult = await time(pick('noopApply'), () =>
      applyDeployment(new PluginDeployer({ store: again }), noop),
    );
    if (noopResult.applied.length > 0) throw new Error('the no-op apply applied something');
    if (again.list().filter((p) => p.active !== undefined).length !== desired.size) {
      throw new Error(`store holds ${again.list().length} plugins, the file ${desired.size}`);
    }
  }

  const { size: stateBytes } = await stat(join(storeRoot, 'store.json'));
  return {
    ...samples,
    setupMs,
    installMs,
    actionMs,
    actions: expectedKinds ?? {},
    storePlugins,
    stateBytes,
    dependencyEdges: [...graph.values()].reduce((sum, deps) => sum + deps.length, 0),
  };
}
