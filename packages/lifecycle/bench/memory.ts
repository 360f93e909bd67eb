// Section 4: memory per plugin in each runtime, against the same plugins run without the manager
// (hand-rolled inline loop, raw Worker, raw fork). Each probe runs in a fresh Node process: in a
// process that already started and freed workers, new ones reuse the freed pages and the host's
// RSS hardly moves, which would make any later row look free.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createPlatform, type Plugin, type PluginIsolation } from '@trellis/core';
import { type ManagedPluginInput, PluginManager } from '@trellis/lifecycle';
import { handRolledBoot } from './boot.js';
import {
  type BoundaryFixtures,
  generateManifests,
  PACKAGE_DIR,
  type PluginFolder,
  trivialPlugin,
} from './fixtures.js';
import { createBenchHost } from './host.js';
import { collectGarbage, fmt, kib, mib, processRss, sleep, times } from './measure.js';

const INLINE_PLUGINS = 200;
const ISOLATED_PLUGINS = 10;
/** Lets a few heartbeats (every 250 ms) report the isolates' heaps after `start`. */
const SETTLE_MS = 600;

/** The measurements, each run in its own process by {@link runMemoryProbe}. */
export const MEMORY_PROBES = [
  'inline',
  'raw-worker',
  'worker-bare',
  'worker-echo',
  'raw-fork',
  'process-bare',
  'process-echo',
] as const;

/** One of {@link MEMORY_PROBES}. */
export type MemoryProbe = (typeof MEMORY_PROBES)[number];

/** Memory of one way of running plugins, per plugin, in bytes. */
export interface MemoryRow {
  readonly runtime: PluginIsolation;
  readonly name: string;
  readonly plugins: number;
  readonly baseline: boolean;
  /** Inline: host heap growth per plugin; isolated: host RSS growth per plugin. */
  readonly hostBytes: number;
  /** The isolate's `used_heap_size` (`stats().heapUsedBytes`, or `getHeapStatistics()` for a raw worker). */
  readonly isolateHeapBytes?: number;
  /** Resident set of each child process (VmRSS). */
  readonly childRssBytes?: number;
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Host heap (`heapUsed`) or RSS growth while `run` holds what it started, after forced GCs. */
async function hostGrowth<T>(
  measure: 'heap' | 'rss',
  run: () => Promise<T>,
): Promise<{ bytes: number; held: T }> {
  const read = () => (measure === 'heap' ? process.memoryUsage().heapUsed : process.memoryUsage.rss());
  collectGarbage();
  const before = read();
  const held = await run();
  await sleep(SETTLE_MS);
  collectGarbage();
  return { bytes: read() - before, held };
}

async function inlineRows(): Promise<MemoryRow[]> {
  const manifests = generateManifests(INLINE_PLUGINS, 3);
  const definitions = manifests.map(() => trivialPlugin());
  const inputs: ManagedPluginInput[] = manifests.map((manifest, i) => ({
    manifest,
    dir: `/bench/${manifest.name}`,
    plugin: definitions[i] as Plugin,
  }));
  const platform = createPlatform({ logLevel: 'silent' });
  const boot = async (plugins: readonly ManagedPluginInput[]) => {
    const manager = new PluginManager({ container: platform.container, plugins });
    await manager.boot();
    return manager;
  };
  // Warm-up, kept running: compiled code is in the heap before the first reading.
  const warm = await boot(
    generateManifests(20, 4).map((manifest) => ({ manifest, dir: '/', plugin: trivialPlugin() })),
  );
  const baseline = await hostGrowth('heap', () =>
    handRolledBoot(manifests.map((manifest, i) => ({ manifest, load: () => definitions[i] as Plugin }))),
  );
  const managed = await hostGrowth('heap', () => boot(inputs));
  await managed.held.shutdown();
  await warm.shutdown();
  const row = (name: string, bytes: number, isBaseline: boolean): MemoryRow => ({
    runtime: 'inline',
    name,
    plugins: INLINE_PLUGINS,
    baseline: isBaseline,
    hostBytes: bytes / INLINE_PLUGINS,
  });
  return [
    row('hand-rolled loop', baseline.bytes, true),
    row('PluginManager, definitions in memory', managed.bytes, false),
  ];
}

async function startWorker(script: string): Promise<Worker> {
  const worker = new Worker(script);
  await once(worker, 'message');
  return worker;
}

async function rawWorkers(script: string): Promise<MemoryRow> {
  const warm = await startWorker(script);
  const { bytes, held } = await hostGrowth('rss', async () => {
    const workers: Worker[] = [];
    for (let i = 0; i < ISOLATED_PLUGINS; i++) workers.push(await startWorker(script));
    return workers;
  });
  const heaps = await Promise.all(
    held.map(async (worker) => (await worker.getHeapStatistics()).used_heap_size),
  );
  await Promise.all([warm, ...held].map((worker) => worker.terminate()));
  return {
    runtime: 'worker',
    name: 'raw `new Worker(file)`',
    plugins: ISOLATED_PLUGINS,
    baseline: true,
    hostBytes: bytes / ISOLATED_PLUGINS,
    isolateHeapBytes: mean(heaps),
  };
}

async function startChild(script: string): Promise<ChildProcess> {
  const child = fork(script, [], { execArgv: [], serialization: 'advanced' });
  await once(child, 'message');
  return child;
}

async function rawChildren(script: string): Promise<MemoryRow> {
  const warm = await startChild(script);
  const { bytes, held } = await hostGrowth('rss', async () => {
    const children: ChildProcess[] = [];
    for (let i = 0; i < ISOLATED_PLUGINS; i++) children.push(await startChild(script));
    return children;
  });
  const rss = await Promise.all(held.map((child) => processRss(child.pid as number)));
  for (const child of [warm, ...held]) child.kill('SIGTERM');
  return {
    runtime: 'process',
    name: 'raw `fork(file)`',
    plugins: ISOLATED_PLUGINS,
    baseline: true,
    hostBytes: bytes / ISOLATED_PLUGINS,
    childRssBytes: mean(rss),
  };
}

async function managedIsolated(
  plugin: PluginFolder,
  isolation: 'worker' | 'process',
  label: string,
): Promise<MemoryRow> {
  const host = createBenchHost();
  const boot = async (names: readonly string[]) => {
    const manager = new PluginManager({
      container: host.platform.container,
      plugins: names.map((name) => ({ manifest: { ...plugin.manifest, name }, dir: plugin.dir })),
      defaultPolicy: { isolation },
    });
    const report = await manager.boot();
    if (report.counts.active !== names.length) throw new Error(`${label}: not every plugin is active`);
    return manager;
  };
  const warm = await boot([`${plugin.manifest.name}-warm`]);
  const names = Array.from({ length: ISOLATED_PLUGINS }, (_, i) => `${plugin.manifest.name}-${i + 1}`);
  const { bytes, held: manager } = await hostGrowth('rss', () => boot(names));
  const down = manager.list().filter((p) => names.includes(p.name) && p.state !== 'active');
  if (down.length > 0)
    throw new Error(`${label}: ${down.map((p) => `${p.name} ${p.state}: ${p.error?.message}`).join('; ')}`);
  const stats = names.map((name) => manager.stats(name));
  const heaps = stats.map((s) => s?.heapUsedBytes ?? Number.NaN);
  const rss =
    isolation === 'process' ? await Promise.all(stats.map((s) => processRss(s?.pid as number))) : undefined;
  await manager.shutdown();
  await warm.shutdown();
  return {
    runtime: isolation,
    name: label,
    plugins: ISOLATED_PLUGINS,
    baseline: false,
    hostBytes: bytes / ISOLATED_PLUGINS,
    isolateHeapBytes: mean(heaps),
    ...(rss === undefined ? {} : { childRssBytes: mean(rss) }),
  };
}

/** Runs one probe in this process (a fresh one, started by {@link measureMemory}). */
export async function runMemoryProbe(probe: MemoryProbe, fixtures: BoundaryFixtures): Promise<MemoryRow[]> {
  switch (probe) {
    case 'inline':
      return inlineRows();
    case 'raw-worker':
      return [await rawWorkers(fixtures.workerScript)];
    case 'worker-bare':
      return [await managedIsolated(fixtures.bare, 'worker', 'WorkerRuntime: bare plugin')];
    case 'worker-echo':
      return [await managedIsolated(fixtures.echo, 'worker', 'WorkerRuntime: `echo`')];
    case 'raw-fork':
      return [await rawChildren(fixtures.processScript)];
    case 'process-bare':
      return [await managedIsolated(fixtures.bare, 'process', 'ProcessRuntime: bare plugin')];
    case 'process-echo':
      return [await managedIsolated(fixtures.echo, 'process', 'ProcessRuntime: `echo`')];
  }
}

/** Runs section 4: every probe in a fresh `node` running the bench entry with `--memory-probe`. */
export async function measureMemory(fixtures: BoundaryFixtures): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const probe of MEMORY_PROBES) {
    const child = fork(
      join(PACKAGE_DIR, 'bench', 'index.ts'),
      ['--memory-probe', probe, JSON.stringify(fixtures)],
      {
        execArgv: [],
      },
    );
    let result: MemoryRow[] | undefined;
    child.once('message', (message) => {
      result = message as MemoryRow[];
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0 || result === undefined) throw new Error(`memory probe ${probe} exited with ${code}`);
    rows.push(...result);
    console.log(`memory ${probe}: done`);
  }
  return rows;
}

function size(row: MemoryRow, bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (Math.abs(bytes) >= 2 ** 20) return `${fmt(mib(bytes), 1)} MiB`;
  if (row.runtime !== 'inline') return `${fmt(kib(bytes), 0)} KiB`;
  return Math.abs(bytes) >= 1024 ? `${fmt(kib(bytes), 1)} KiB` : `${fmt(bytes, 0)} B`;
}

/** Section 4 as markdown. */
export function memoryMarkdown(rows: readonly MemoryRow[]): string[] {
  const baselineOf = (row: MemoryRow) => rows.find((r) => r.runtime === row.runtime && r.baseline);
  // Below this, a baseline is RSS noise (a child process costs its host almost nothing).
  const floor = (row: MemoryRow) => (row.runtime === 'inline' ? 1 : 2 ** 20);
  const ratio = (row: MemoryRow, pick: (r: MemoryRow) => number | undefined) => {
    const base = baselineOf(row);
    const value = pick(row);
    const baseValue = base === undefined ? undefined : pick(base);
    if (row.baseline) return value === undefined ? '—' : 'baseline';
    return value === undefined || baseValue === undefined || baseValue < floor(row)
      ? '—'
      : times(value / baseValue);
  };
  return [
    '## Memory per plugin',
    '',
    'Each row is measured in a fresh Node process (a process that already started and freed workers reuses ' +
      'those pages, and its RSS would hardly move), after a warm-up plugin that stays running, with a forced ' +
      `GC before each reading. Inline: growth of the host’s \`heapUsed\` per plugin while ${INLINE_PLUGINS} ` +
      'trivial plugins run (a generated graph as above); the definitions exist before the first reading, so ' +
      'this is what running them costs: the manager’s record, state and history, permission-gated ' +
      'containers, context and inline instance of each. Worker and process: ' +
      `${ISOLATED_PLUGINS} copies of one plugin started through a manager (or raw), then the host’s RSS ` +
      `growth divided by the count, read after ${SETTLE_MS} ms of heartbeats. "isolate heap" is the ` +
      '`used_heap_size` the plugin side reports with its heartbeats (`stats().heapUsedBytes`, uncollected ' +
      'garbage included) — for the raw worker, `worker.getHeapStatistics()`. "child RSS" is the mean VmRSS of ' +
      'the child processes from `/proc/<pid>/status`; a worker’s memory is part of the host RSS. RSS figures ' +
      'move by about a MiB between runs; a child process costs its host only pipes and a channel, so no ' +
      'ratio is given for host RSS below 1 MiB.',
    '',
    '| runtime | what | plugins | host Δ per plugin | vs baseline | isolate heap | vs baseline | child RSS | vs baseline |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.runtime} | ${r.name}${r.baseline ? ' (baseline)' : ''} | ${r.plugins} | ${size(r, r.hostBytes)} | ` +
        `${ratio(r, (x) => x.hostBytes)} | ${size(r, r.isolateHeapBytes)} | ${ratio(r, (x) => x.isolateHeapBytes)} | ` +
        `${size(r, r.childRssBytes)} | ${ratio(r, (x) => x.childRssBytes)} |`,
    ),
  ];
}
