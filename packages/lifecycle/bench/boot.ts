// Section 1: boot and shutdown of N trivial inline plugins in dependency waves, with the plugins
// defined in memory (pure manager overhead) and loaded from folders on disk (fresh ESM imports),
// against the hand-rolled loop a user would write instead.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPlatform, type Plugin, type PluginContext, type PluginManifest } from '@trellis/core';
import { type ManagedPluginInput, PluginManager } from '@trellis/lifecycle';
import { generateManifests, trivialPlugin, writePluginTree } from './fixtures.js';
import { collectGarbage, fmt, median, times } from './measure.js';

interface Size {
  readonly plugins: number;
  readonly memoryRuns: number;
  readonly diskRuns: number;
}

/** Plugin counts measured, with the timed runs of each variant at that count. */
const SIZES: readonly Size[] = [
  { plugins: 10, memoryRuns: 30, diskRuns: 10 },
  { plugins: 100, memoryRuns: 20, diskRuns: 5 },
  { plugins: 1_000, memoryRuns: 11, diskRuns: 3 },
  { plugins: 5_000, memoryRuns: 5, diskRuns: 2 },
];
/** The target: 1,000 plugins booted in under this many ms. */
const TARGET = { plugins: 1_000, ms: 1_000 } as const;

/** A plugin as the hand-rolled baseline sees it: its manifest and a way to get its definition. */
export interface HandRolledPlugin {
  readonly manifest: PluginManifest;
  load(): Plugin | Promise<Plugin>;
}

// The baseline gives hooks no context: no container, logger or signal.
const NO_CONTEXT = Object.freeze({}) as PluginContext;

/** Kahn's algorithm over names: what a user writes to start dependencies first. */
export function topologicalOrder(manifests: readonly PluginManifest[]): string[] {
  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const manifest of manifests) {
    const dependencies = Object.keys(manifest.dependencies ?? {});
    remaining.set(manifest.name, dependencies.length);
    for (const dependency of dependencies) {
      const list = dependents.get(dependency);
      if (list === undefined) dependents.set(dependency, [manifest.name]);
      else list.push(manifest.name);
    }
  }
  const order = manifests.filter((m) => remaining.get(m.name) === 0).map((m) => m.name);
  for (let head = 0; head < order.length; head++) {
    for (const dependent of dependents.get(order[head] as string) ?? []) {
      const left = (remaining.get(dependent) as number) - 1;
      remaining.set(dependent, left);
      if (left === 0) order.push(dependent);
    }
  }
  return order;
}

/**
 * The baseline: sorts the plugins, then loads each and awaits its `setup` and `start` in turn.
 * No states, containers, deadlines, hooks or report. Resolves to the started plugins, in order.
 */
export async function handRolledBoot(plugins: readonly HandRolledPlugin[]): Promise<Plugin[]> {
  const byName = new Map(plugins.map((plugin) => [plugin.manifest.name, plugin]));
  const started: Plugin[] = [];
  for (const name of topologicalOrder(plugins.map((plugin) => plugin.manifest))) {
    const plugin = await (byName.get(name) as HandRolledPlugin).load();
    await plugin.setup?.(NO_CONTEXT);
    await plugin.start?.(NO_CONTEXT);
    started.push(plugin);
  }
  return started;
}

/** The baseline's shutdown: `stop` of every started plugin, last started first. */
export async function handRolledShutdown(started: readonly Plugin[]): Promise<void> {
  for (let i = started.length - 1; i >= 0; i--) await started[i]?.stop?.(NO_CONTEXT);
}

interface RunTimes {
  readonly bootMs: number;
  readonly constructMs: number;
  readonly shutdownMs: number;
  readonly waves: number;
}

async function managerRun(inputs: readonly ManagedPluginInput[]): Promise<RunTimes> {
  const platform = createPlatform({ logLevel: 'silent' });
  collectGarbage();
  const started = performance.now();
  const manager = new PluginManager({ container: platform.container, plugins: inputs });
  const constructed = performance.now();
  const report = await manager.boot();
  const booted = performance.now();
  if (report.counts.active !== inputs.length)
    throw new Error(`${report.counts.active} of ${inputs.length} plugins active`);
  await manager.shutdown();
  return {
    bootMs: booted - started,
    constructMs: constructed - started,
    shutdownMs: performance.now() - booted,
    waves: manager.waves.length,
  };
}

async function handRolledRun(plugins: readonly HandRolledPlugin[]): Promise<RunTimes> {
  collectGarbage();
  const started = performance.now();
  const running = await handRolledBoot(plugins);
  const booted = performance.now();
  if (running.length !== plugins.length) throw new Error(`${running.length} of ${plugins.length} started`);
  await handRolledShutdown(running);
  return { bootMs: booted - started, constructMs: 0, shutdownMs: performance.now() - booted, waves: 0 };
}

/** Median figures of one variant at one plugin count, ms. */
export interface BootRow {
  readonly plugins: number;
  readonly waves: number;
  readonly runs: number;
  readonly baselineBootMs: number;
  readonly bootMs: number;
  readonly bootMinMs: number;
  readonly bootMaxMs: number;
  /** Of `bootMs`: the constructor (resolve, plan, state machine registration). */
  readonly constructMs: number;
  readonly baselineShutdownMs: number;
  readonly shutdownMs: number;
}

/** Inputs and baseline plugins of one timed run, fresh for each run when imports must be fresh. */
interface Prepared {
  readonly inputs: readonly ManagedPluginInput[];
  readonly plugins: readonly HandRolledPlugin[];
  /** Removes what `prepare` wrote, once the run is over. */
  cleanup(): Promise<void>;
}

interface Variant {
  prepare(manifests: readonly PluginManifest[], run: string): Promise<Prepared>;
}

const inMemory: Variant = {
  async prepare(manifests) {
    const definitions = manifests.map(() => trivialPlugin());
    return {
      inputs: manifests.map((manifest, i) => ({
        manifest,
        dir: `/bench/${manifest.name}`,
        plugin: definitions[i] as Plugin,
      })),
      plugins: manifests.map((manifest, i) => ({ manifest, load: () => definitions[i] as Plugin })),
      cleanup: async () => {},
    };
  },
};

/** Plugin folders under `root`: the manager and the baseline each get a tree never imported before. */
function onDisk(root: string): Variant {
  return {
    async prepare(manifests, run) {
      const managerRoot = join(root, `${run}-manager`);
      const baselineRoot = join(root, `${run}-baseline`);
      await writePluginTree(managerRoot, manifests);
      await writePluginTree(baselineRoot, manifests);
      return {
        inputs: manifests.map((manifest) => ({ manifest, dir: join(managerRoot, manifest.name) })),
        plugins: manifests.map((manifest) => ({
          manifest,
          load: async () => {
            const url = pathToFileURL(join(baselineRoot, manifest.name, 'index.mjs')).href;
            return ((await import(url)) as { plugin: Plugin }).plugin;
          },
        })),
        cleanup: async () => {
          await rm(managerRoot, { recursive: true, force: true });
          await rm(baselineRoot, { recursive: true, force: true });
        },
      };
    },
  };
}

async function measureVariant(variant: Variant, name: string): Promise<BootRow[]> {
  // Warm-up: both paths a few times, so the first sizes are not charged for JIT.
  for (let round = 0; round < 3; round++) {
    const size = name === 'memory' ? 1_000 : 100;
    const warm = await variant.prepare(generateManifests(size, 2), `${name}-warm${round}`);
    await handRolledRun(warm.plugins);
    await managerRun(warm.inputs);
    await warm.cleanup();
  }
  const rows: BootRow[] = [];
  for (const size of SIZES) {
    const manifests = generateManifests(size.plugins);
    const runs = name === 'memory' ? size.memoryRuns : size.diskRuns;
    const baseline: RunTimes[] = [];
    const manager: RunTimes[] = [];
    for (let run = 0; run < runs; run++) {
      const prepared = await variant.prepare(manifests, `${name}-${size.plugins}-${run}`);
      // Alternated, so neither side always runs on a heap the other just filled.
      baseline.push(await handRolledRun(prepared.plugins));
      manager.push(await managerRun(prepared.inputs));
      await prepared.cleanup();
    }
    rows.push({
      plugins: size.plugins,
      waves: manager[0]?.waves ?? 0,
      runs,
      baselineBootMs: median(baseline.map((r) => r.bootMs)),
      bootMs: median(manager.map((r) => r.bootMs)),
      bootMinMs: Math.min(...manager.map((r) => r.bootMs)),
      bootMaxMs: Math.max(...manager.map((r) => r.bootMs)),
      constructMs: median(manager.map((r) => r.constructMs)),
      baselineShutdownMs: median(baseline.map((r) => r.shutdownMs)),
      shutdownMs: median(manager.map((r) => r.shutdownMs)),
    });
    console.log(`boot ${name} ${size.plugins}: ${fmt(rows.at(-1)?.bootMs ?? 0, 1)} ms`);
  }
  return rows;
}

/** Both variants' rows. */
export interface BootResults {
  readonly memory: readonly BootRow[];
  readonly disk: readonly BootRow[];
}

/** Runs section 1; disk plugins are written under `root`. */
export async function measureBoot(root: string): Promise<BootResults> {
  const memory = await measureVariant(inMemory, 'memory');
  const disk = await measureVariant(onDisk(root), 'disk');
  return { memory, disk };
}

function targetCell(row: BootRow): string {
  if (row.plugins !== TARGET.plugins) return '—';
  return `< ${fmt(TARGET.ms, 0)} ms ${row.bootMs < TARGET.ms ? '✓' : '✗'}`;
}

function table(rows: readonly BootRow[]): string[] {
  return [
    '| plugins | waves | runs | hand-rolled boot ms | manager boot ms | min–max ms | of which constructor ms | vs baseline | µs / plugin | target | hand-rolled stop ms | manager shutdown ms | vs baseline |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${fmt(r.plugins, 0)} | ${r.waves} | ${r.runs} | ${fmt(r.baselineBootMs, 2)} | ${fmt(r.bootMs, 2)} | ` +
        `${fmt(r.bootMinMs, 1)}–${fmt(r.bootMaxMs, 1)} | ` +
        `${fmt(r.constructMs, 2)} | ${times(r.bootMs / r.baselineBootMs)} | ${fmt((r.bootMs * 1_000) / r.plugins, 1)} | ` +
        `${targetCell(r)} | ${fmt(r.baselineShutdownMs, 2)} | ${fmt(r.shutdownMs, 2)} | ` +
        `${times(r.shutdownMs / r.baselineShutdownMs)} |`,
    ),
  ];
}

/** Section 1 as markdown. */
export function bootMarkdown(results: BootResults): string[] {
  const target = (rows: readonly BootRow[]) => rows.find((r) => r.plugins === TARGET.plugins);
  const verdict = (row: BootRow | undefined) =>
    row === undefined
      ? 'not measured'
      : `${fmt(row.bootMs, 0)} ms, ${row.bootMs < TARGET.ms ? 'met' : 'missed'}`;
  return [
    '## Boot and shutdown of N inline plugins in dependency waves',
    '',
    'A seeded graph: about 10% of the plugins are roots, every other one depends on 1–3 earlier plugins ' +
      'picked at random, so they start in the waves counted below. Every plugin is trivial (`setup`, ' +
      '`start` and `stop` do nothing). "manager boot" is `new PluginManager({ container, plugins })` plus ' +
      '`boot()` until the report is back with every plugin active (default concurrency 8), on a fresh silent ' +
      'platform; the constructor column is the part spent resolving and planning. The baseline is the loop a ' +
      'user would write instead: a Kahn topological sort, then each plugin loaded and its `setup` and `start` ' +
      'awaited in turn, with no states, containers, hooks, deadlines or report; its stop is `stop` of each in ' +
      'reverse. Medians of the runs shown (with the manager’s fastest and slowest), both sides alternated in one ' +
      'process after three warm-up rounds, a forced GC before each run.',
    '',
    `Target from the issue: ${fmt(TARGET.plugins, 0)} plugins booted in under ${fmt(TARGET.ms, 0)} ms. ` +
      `In memory: ${verdict(target(results.memory))}. From disk: ${verdict(target(results.disk))}.`,
    '',
    '### (a) Definitions in memory (`plugins[].plugin`): the manager’s own cost',
    '',
    'Each input carries its `definePlugin(...)` result, so nothing is imported: this is the pure cost of ' +
      'resolution, the state machine, a permission-gated child container and plugin context per plugin, ' +
      'before/after hooks, deadlines on every hook and the boot report.',
    '',
    ...table(results.memory),
    '',
    '### (b) Plugin folders on disk: fresh ESM imports',
    '',
    'Each plugin is a folder in the OS temp directory with a `package.json` (`trellis` manifest) and an ' +
      "`index.mjs` that sets `Symbol.for('@trellis/core.Plugin')` by hand, so it imports nothing. The " +
      'manager loads each with `loadPluginEntry` (`import()`); the baseline `import()`s each itself. Every ' +
      'run of either side gets a tree written before the timer starts and never imported before, so every ' +
      'import is a fresh module load (read, parse, link, evaluate) — which dominates both columns.',
    '',
    ...table(results.disk),
  ];
}
