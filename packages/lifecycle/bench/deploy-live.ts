// Deployment section, live part: a plugin with 10 running dependents upgraded through the
// PluginDeployer (store, backup, journal, health gate), rolled back by hand, and upgraded to a
// version whose health fails (automatic rollback), against a hand-rolled `manager.replace` with
// the new folder on a second manager running the same plugins from plain folders.
import { copyFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createPlatform } from '@trellis/core';
import { readManifest } from '@trellis/discovery';
import { type ManagedPluginInput, PluginDeployer, PluginManager, PluginStore } from '@trellis/lifecycle';
import { type DeployPluginSpec, writeDataFolder, writeDeployPlugin } from './deploy-fixtures.js';
import { collectGarbage } from './measure.js';

/** The plugin upgraded, its dependent count, and the run counts of the live part. */
export const LIVE_SETUP = {
  plugin: 'core',
  dependents: 10,
  /** Upgrade + manual rollback pairs (and as many baseline swap pairs), after the warm-ups. */
  upgradeRuns: 50,
  upgradeWarmups: 5,
  /** Upgrades to a failing version, after the warm-ups. */
  failedRuns: 20,
  failedWarmups: 2,
  /** The gate of a passing upgrade (it passes at its first round). */
  gate: { timeoutMs: 10_000, intervalMs: 20 },
  /** The gate of the failing upgrade, as in the issue. */
  failingGate: { timeoutMs: 200, intervalMs: 20 },
} as const;

/** Named timestamps of one operation; a label may occur several times (in order). */
class Timeline {
  readonly #marks: [string, number][] = [];

  mark(label: string): void {
    this.#marks.push([label, performance.now()]);
  }

  reset(): void {
    this.#marks.length = 0;
  }

  /** The time of the `nth` (0-based) occurrence of `label`. */
  at(label: string, nth = 0): number {
    const found = this.#marks.filter(([l]) => l === label)[nth];
    if (found === undefined)
      throw new Error(`no mark "${label}" #${nth} (marks: ${this.#marks.map(([l]) => l).join(', ')})`);
    return found[1];
  }
}

/** Wraps an async method so the timeline gets `<label>:start` and `<label>:end` around each call. */
function timed<A extends unknown[], R>(
  timeline: Timeline,
  label: string,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    timeline.mark(`${label}:start`);
    try {
      return await fn(...args);
    } finally {
      timeline.mark(`${label}:end`);
    }
  };
}

/**
 * Marks the phases of `manager.replace` on `timeline`: `replace:start` / `replace:end`, the input
 * function's `input:start` / `input:end` (the store's backup and switch run inside it), and —
 * through two lifecycle hooks — `core:stopped` / `core:started` when the upgraded plugin stops
 * and starts. Both managers get the same instrumentation, so it costs both sides alike.
 */
function instrumentManager(manager: PluginManager, timeline: Timeline, plugin: string): void {
  const replace = manager.replace.bind(manager);
  manager.replace = (name, input, options) => {
    timeline.mark('replace:start');
    const wrapped =
      typeof input === 'function'
        ? async () => {
            timeline.mark('input:start');
            const next = await input();
            timeline.mark('input:end');
            return next;
          }
        : input;
    return replace(name, wrapped, options).finally(() => timeline.mark('replace:end'));
  };
  manager.hooks.on('afterStop', (event) => {
    if (event.plugin === plugin) timeline.mark('core:stopped');
  });
  manager.hooks.on('afterStart', (event) => {
    if (event.plugin === plugin) timeline.mark('core:started');
  });
}

/** Marks the store calls an upgrade, a rollback and a failed upgrade make. */
function instrumentStore(store: PluginStore, timeline: Timeline): void {
  store.stage = timed(timeline, 'stage', store.stage.bind(store));
  store.hold = timed(timeline, 'hold', store.hold.bind(store));
  store.backup = timed(timeline, 'backup', store.backup.bind(store));
  store.switchVersion = timed(timeline, 'switch', store.switchVersion.bind(store));
  store.restoreBackup = timed(timeline, 'restore', store.restoreBackup.bind(store));
  store.undoSwitch = timed(timeline, 'undo', store.undoSwitch.bind(store));
  store.settle = timed(timeline, 'settle', store.settle.bind(store));
}

/** Durations of one run's contiguous phases (they add up to the total), ms. */
type Phases = Record<string, number>;

/** Contiguous phases between consecutive boundaries, labelled by the phase that ends at each. */
function between(boundaries: readonly (readonly [string, number])[]): Phases {
  const phases: Phases = {};
  for (let i = 1; i < boundaries.length; i++) {
    const [label, end] = boundaries[i] as readonly [string, number];
    phases[label] = end - (boundaries[i - 1] as readonly [string, number])[1];
  }
  return phases;
}

/** Phase names of a store upgrade, in order; each ends at one boundary of {@link upgradePhases}. */
export const UPGRADE_PHASES = [
  'stage (copy to tmp/, verify, manifest, content digest)',
  'checks + hold (semver, compatibility, rename into the store, store.json)',
  'stop 10 dependents + the plugin',
  'backup (data folder + config)',
  'journalled switch (journal + store.json)',
  'input (reload config, verify folder, manifest)',
  'start the plugin (fresh import, setup, start)',
  'start 10 dependents',
  'health gate (plugin + 10 dependents, first round)',
  'settle (remove journal, fsync folder)',
  'audit record + event',
] as const;

function upgradePhases(t: Timeline, began: number, ended: number): Phases {
  const names = UPGRADE_PHASES;
  return between([
    ['', began],
    [names[0], t.at('stage:end')],
    [names[1], t.at('replace:start')],
    [names[2], t.at('core:stopped')],
    [names[3], t.at('backup:end')],
    [names[4], t.at('switch:end')],
    [names[5], t.at('input:end')],
    [names[6], t.at('core:started')],
    [names[7], t.at('replace:end')],
    [names[8], t.at('settle:start')],
    [names[9], t.at('settle:end')],
    [names[10], ended],
  ]);
}

/** Phase names of a manual rollback, in order. */
export const ROLLBACK_PHASES = [
  'checks (record, manifest, compatibility)',
  'stop 10 dependents + the plugin',
  'backup of today’s data + config',
  'journalled switch',
  'restore the previous backup (data + config)',
  'input (reload config, verify folder, manifest)',
  'start the plugin (fresh import)',
  'start 10 dependents',
  'health gate (first round)',
  'settle',
  'audit record + event',
] as const;

function rollbackPhases(t: Timeline, began: number, ended: number): Phases {
  const names = ROLLBACK_PHASES;
  return between([
    ['', began],
    [names[0], t.at('replace:start')],
    [names[1], t.at('core:stopped')],
    [names[2], t.at('backup:end')],
    [names[3], t.at('switch:end')],
    [names[4], t.at('restore:end')],
    [names[5], t.at('input:end')],
    [names[6], t.at('core:started')],
    [names[7], t.at('replace:end')],
    [names[8], t.at('settle:start')],
    [names[9], t.at('settle:end')],
    [names[10], ended],
  ]);
}

/** Phase names of an upgrade whose new version fails its gate, in order. */
export const FAILED_PHASES = [
  'stage + checks + hold',
  'swap to the new version (stop, backup, switch, start all 11)',
  'health gate until it gives up',
  'rollback: stop 10 dependents + the new version',
  'rollback: undo the switch (restore data + config, store.json, journal)',
  'rollback: input (reload config, verify, manifest)',
  'rollback: start the previous version + 10 dependents',
  'audit record + event, error thrown',
] as const;

function failedPhases(t: Timeline, began: number, ended: number): Phases {
  const names = FAILED_PHASES;
  return between([
    ['', began],
    [names[0], t.at('replace:start', 0)],
    [names[1], t.at('replace:end', 0)],
    [names[2], t.at('replace:start', 1)],
    [names[3], t.at('core:stopped', 1)],
    [names[4], t.at('undo:end')],
    [names[5], t.at('input:end', 1)],
    [names[6], t.at('replace:end', 1)],
    [names[7], ended],
  ]);
}

/** Phase names of the hand-rolled swap, in order. */
export const BASELINE_PHASES = [
  'read the new manifest',
  'stop 10 dependents + the plugin',
  'start the plugin (fresh import, setup, start)',
  'start 10 dependents',
] as const;

function baselinePhases(t: Timeline, began: number, ended: number, readManifestToo: boolean): Phases {
  const names = BASELINE_PHASES;
  const phases = between([
    ['', began],
    [names[0], t.at('replace:start')],
    [names[1], t.at('core:stopped')],
    [names[2], t.at('core:started')],
    [names[3], t.at('replace:end')],
    ['(after replace)', ended],
  ]);
  if (!readManifestToo) delete phases[names[0]];
  return phases;
}

/** Samples of one measured operation: totals and per-phase durations, ms. */
export interface OperationSamples {
  readonly total: number[];
  readonly phases: Record<string, number[]>;
}

function collector(): OperationSamples & { add(total: number, phases: Phases): void } {
  const total: number[] = [];
  const phases: Record<string, number[]> = {};
  return {
    total,
    phases,
    add(value, split) {
      total.push(value);
      for (const [name, ms] of Object.entries(split)) {
        const list = phases[name] ?? [];
        list.push(ms);
        phases[name] = list;
      }
    },
  };
}

/** Everything the live part measured. */
export interface LiveResults {
  readonly upgrade: OperationSamples;
  readonly baselineUpgrade: OperationSamples;
  readonly rollback: OperationSamples;
  readonly baselineRollback: OperationSamples;
  readonly failed: OperationSamples;
  /**
   * One copy of the upgraded plugin's data folder, as the store's backup and restore make it
   * (`fs.cp`, recursive), and as a `readdir` + `copyFile` walk makes it, ms.
   */
  readonly dataCopy: { readonly cp: number[]; readonly copyFile: number[] };
  /** Versions the store held at the end (the failed ones included). */
  readonly versionsHeld: number;
}

const dependentNames = Array.from(
  { length: LIVE_SETUP.dependents },
  (_, i) => `d${String(i + 1).padStart(2, '0')}`,
);

function family(version: string): DeployPluginSpec[] {
  return [
    { name: LIVE_SETUP.plugin, version },
    ...dependentNames.map((name) => ({
      name,
      version: '1.0.0',
      dependencies: { [LIVE_SETUP.plugin]: '^1.0.0' },
    })),
  ];
}

function expectVersion(manager: PluginManager, version: string, what: string): void {
  const plugin = manager.get(LIVE_SETUP.plugin);
  if (plugin?.version !== version || plugin.state !== 'active') {
    throw new Error(
      `${what}: ${LIVE_SETUP.plugin} is ${plugin?.version} ${plugin?.state}, expected ${version} active`,
    );
  }
  for (const name of dependentNames) {
    if (manager.get(name)?.state !== 'active')
      throw new Error(`${what}: dependent ${name} is ${manager.get(name)?.state}`);
  }
}

/** Runs the live part under `root` (store, sources and plain folders are written there). */
export async function measureLive(root: string): Promise<LiveResults> {
  const sources = join(root, 'sources');
  const plainSources = join(root, 'plain');
  const { plugin } = LIVE_SETUP;

  // The store side: 11 plugins installed offline, live data and config for the upgraded one, then a
  // running manager over the store's inputs, as a host runs them.
  const store = await PluginStore.open(join(root, 'store'));
  const offline = new PluginDeployer({ store });
  for (const spec of family('1.0.0')) await offline.install(await writeDeployPlugin(sources, spec));
  await writeDataFolder(store.layout.data(plugin));
  await store.writeConfig(plugin, { version: 1, pageSize: 20, endpoints: ['a', 'b', 'c'] });
  const storePlatform = createPlatform({ logLevel: 'silent' });
  const { inputs } = await store.managedInputs();
  const manager = new PluginManager({
    container: storePlatform.container,
    plugins: inputs,
    dataDir: (name) => store.layout.data(name),
  });
  // The plain side: the same plugins from plain folders, on a manager of its own.
  const plainPlatform = createPlatform({ logLevel: 'silent' });
  const plainInputs: ManagedPluginInput[] = [];
  for (const spec of family('1.0.0')) {
    const dir = await writeDeployPlugin(plainSources, spec);
    plainInputs.push({ manifest: (await readManifest(dir))?.manifest ?? failNoManifest(dir), dir });
  }
  const plainV1 = plainInputs[0] as ManagedPluginInput;
  const plainManager = new PluginManager({
    container: plainPlatform.container,
    plugins: plainInputs,
    dataDir: (name) => join(root, 'plain-data', name),
  });
  await writeDataFolder(join(root, 'plain-data', plugin));
  await manager.boot();
  await plainManager.boot();

  const timeline = new Timeline();
  const plainTimeline = new Timeline();
  instrumentStore(store, timeline);
  instrumentManager(manager, timeline, plugin);
  instrumentManager(plainManager, plainTimeline, plugin);
  const container = storePlatform.container;
  const deployer = new PluginDeployer({ store, manager, container, gate: LIVE_SETUP.gate });
  const failing = new PluginDeployer({ store, manager, container, gate: LIVE_SETUP.failingGate });

  const upgrade = collector();
  const baselineUpgrade = collector();
  const rollback = collector();
  const baselineRollback = collector();
  const failed = collector();
  let minor = 0;

  try {
    // 1 and 3: upgrade then manual rollback through the store; swap to the new folder and back by hand.
    for (let run = 0; run < LIVE_SETUP.upgradeWarmups + LIVE_SETUP.upgradeRuns; run++) {
      const keep = run >= LIVE_SETUP.upgradeWarmups;
      const version = `1.${++minor}.0`;
      const source = await writeDeployPlugin(sources, { name: plugin, version });
      const plainSource = await writeDeployPlugin(plainSources, { name: plugin, version });
      const storePair = async () => {
        collectGarbage();
        timeline.reset();
        let began = performance.now();
        const result = await deployer.upgrade(plugin, { source });
        let ended = performance.now();
        if (result.gate !== 'passed') throw new Error(`upgrade gate ${result.gate}`);
        expectVersion(manager, version, 'upgrade');
        if (keep) upgrade.add(ended - began, upgradePhases(timeline, began, ended));
        timeline.reset();
        began = performance.now();
        await deployer.rollback(plugin);
        ended = performance.now();
        expectVersion(manager, '1.0.0', 'rollback');
        if (keep) rollback.add(ended - began, rollbackPhases(timeline, began, ended));
      };
      const plainPair = async () => {
        collectGarbage();
        plainTimeline.reset();
        let began = performance.now();
        const found = await readManifest(plainSource);
        if (!found) failNoManifest(plainSource);
        await plainManager.replace(plugin, { manifest: found.manifest, dir: plainSource });
        let ended = performance.now();
        expectVersion(plainManager, version, 'hand-rolled swap');
        if (keep) baselineUpgrade.add(ended - began, baselinePhases(plainTimeline, began, ended, true));
        plainTimeline.reset();
        began = performance.now();
        await plainManager.replace(plugin, plainV1);
        ended = performance.now();
        expectVersion(plainManager, '1.0.0', 'hand-rolled swap back');
        if (keep) baselineRollback.add(ended - began, baselinePhases(plainTimeline, began, ended, false));
      };
      // Alternated, so neither side always runs right after the other's garbage.
      if (run % 2 === 0) {
        await storePair();
        await plainPair();
      } else {
        await plainPair();
        await storePair();
      }
    }

    // 2: upgrade to a version whose health check fails; the gate gives up, the deployer rolls back.
    for (let run = 0; run < LIVE_SETUP.failedWarmups + LIVE_SETUP.failedRuns; run++) {
      const version = `1.${++minor}.0`;
      const source = await writeDeployPlugin(sources, { name: plugin, version, health: 'fail' });
      collectGarbage();
      timeline.reset();
      const began = performance.now();
      const error = await failing.upgrade(plugin, { source }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; details?: { rolledBack?: boolean } },
      );
      const ended = performance.now();
      if (error?.code !== 'PLUGIN_HEALTH_GATE_FAILED' || error.details?.rolledBack !== true) {
        throw new Error(
          `failing upgrade: expected PLUGIN_HEALTH_GATE_FAILED, rolled back; got ${String(error)}`,
        );
      }
      expectVersion(manager, '1.0.0', 'automatic rollback');
      if (run >= LIVE_SETUP.failedWarmups) failed.add(ended - began, failedPhases(timeline, began, ended));
    }
    // What a backup's copy costs with `fs.cp` against a plain walk, on the same data folder.
    const dataCopy = { cp: [] as number[], copyFile: [] as number[] };
    const copies = join(root, 'copies');
    for (let run = 0; run < LIVE_SETUP.upgradeRuns; run++) {
      let began = performance.now();
      await cp(store.layout.data(plugin), join(copies, `cp-${run}`), {
        recursive: true,
        verbatimSymlinks: true,
      });
      dataCopy.cp.push(performance.now() - began);
      began = performance.now();
      await copyTree(store.layout.data(plugin), join(copies, `walk-${run}`));
      dataCopy.copyFile.push(performance.now() - began);
    }
    await rm(copies, { recursive: true, force: true });
    return {
      dataCopy,
      upgrade,
      baselineUpgrade,
      rollback,
      baselineRollback,
      failed,
      versionsHeld: store.get(plugin)?.versions.length ?? 0,
    };
  } finally {
    await manager.shutdown();
    await plainManager.shutdown();
  }
}

/** Copies a folder of files and folders with one `copyFile` per file (no links, no checks). */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await copyTree(join(from, entry.name), join(to, entry.name));
    else await copyFile(join(from, entry.name), join(to, entry.name));
  }
}

function failNoManifest(dir: string): never {
  throw new Error(`no manifest in ${dir}`);
}
