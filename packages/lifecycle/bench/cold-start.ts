// Section 2: cold start of one plugin in a worker thread and in a child process (load, setup and
// start until active, through the manager), against a raw Worker / fork until its first message.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { PluginIsolation } from '@trellis/core';
import { PluginManager, type PluginRuntime, ProcessRuntime, WorkerRuntime } from '@trellis/lifecycle';
import type { BoundaryFixtures, PluginFolder } from './fixtures.js';
import { createBenchHost } from './host.js';
import { fmt, type Summary, summarize, times } from './measure.js';

/** Timed rounds (one run of every row each), after {@link WARMUP} untimed ones. */
const RUNS = 15;
const WARMUP = 2;

interface StartStop {
  readonly startMs: number;
  readonly stopMs: number;
}

/** One row of the cold start table. */
export interface ColdStartRow {
  readonly name: string;
  /** Name of the row this one is compared with; none for baselines. */
  readonly baseline?: string;
  readonly start: Summary;
  readonly stop: Summary;
}

async function rawWorker(script: string): Promise<StartStop> {
  const started = performance.now();
  const worker = new Worker(script);
  await once(worker, 'message');
  const ready = performance.now();
  await worker.terminate();
  return { startMs: ready - started, stopMs: performance.now() - ready };
}

async function rawFork(script: string): Promise<StartStop> {
  const started = performance.now();
  const child = fork(script, [], { execArgv: [], serialization: 'advanced' });
  await once(child, 'message');
  const ready = performance.now();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  return { startMs: ready - started, stopMs: performance.now() - ready };
}

async function managed(
  plugin: PluginFolder,
  isolation: PluginIsolation,
  runtimes: Partial<Record<PluginIsolation, PluginRuntime>>,
): Promise<StartStop> {
  const host = createBenchHost();
  const started = performance.now();
  const manager = new PluginManager({
    container: host.platform.container,
    plugins: [{ manifest: plugin.manifest, dir: plugin.dir }],
    runtimes,
    defaultPolicy: { isolation },
  });
  const report = await manager.boot();
  const ready = performance.now();
  if (report.counts.active !== 1) throw new Error(`${plugin.manifest.name} in a ${isolation}: not active`);
  await manager.shutdown();
  return { startMs: ready - started, stopMs: performance.now() - ready };
}

/** Runs section 2. */
export async function measureColdStart(fixtures: BoundaryFixtures): Promise<ColdStartRow[]> {
  // One runtime of each kind for every run, as a host has.
  const runtimes = { worker: new WorkerRuntime(), process: new ProcessRuntime() };
  const rawW = 'raw `new Worker(file)` until its first message';
  const rawP = 'raw `fork(file)` until its first IPC message';
  const kinds: { name: string; baseline?: string; run: () => Promise<StartStop> }[] = [
    { name: rawW, run: () => rawWorker(fixtures.workerScript) },
    { name: 'worker: bare plugin', baseline: rawW, run: () => managed(fixtures.bare, 'worker', runtimes) },
    {
      name: 'worker: `echo` (imports @trellis/core)',
      baseline: rawW,
      run: () => managed(fixtures.echo, 'worker', runtimes),
    },
    { name: rawP, run: () => rawFork(fixtures.processScript) },
    { name: 'process: bare plugin', baseline: rawP, run: () => managed(fixtures.bare, 'process', runtimes) },
    {
      name: 'process: `echo` (imports @trellis/core)',
      baseline: rawP,
      run: () => managed(fixtures.echo, 'process', runtimes),
    },
  ];
  // Rounds of one run of each kind: a busy moment on the machine hits every row alike.
  const samples = kinds.map((): StartStop[] => []);
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [i, kind] of kinds.entries()) {
      const sample = await kind.run();
      if (round >= WARMUP) samples[i]?.push(sample);
    }
  }
  return kinds.map((kind, i) => {
    const taken = samples[i] ?? [];
    const row: ColdStartRow = {
      name: kind.name,
      ...(kind.baseline === undefined ? {} : { baseline: kind.baseline }),
      start: summarize(taken.map((s) => s.startMs)),
      stop: summarize(taken.map((s) => s.stopMs)),
    };
    console.log(`cold start ${row.name}: p50 ${fmt(row.start.p50, 1)} ms`);
    return row;
  });
}

/** Section 2 as markdown. */
export function coldStartMarkdown(rows: readonly ColdStartRow[]): string[] {
  const byName = new Map(rows.map((row) => [row.name, row]));
  const ratio = (row: ColdStartRow, pick: (r: ColdStartRow) => Summary) => {
    const base = row.baseline === undefined ? undefined : byName.get(row.baseline);
    return base === undefined ? 'baseline' : times(pick(row).p50 / pick(base).p50);
  };
  return [
    '## Cold start of one isolated plugin',
    '',
    'From `new PluginManager(...)` to `boot()` resolving with the plugin `active`: the worker or child ' +
      'process is created, the plugin-side bootstrap (`dist/runtime/child/*-main.js`) loads, imports the ' +
      'plugin, parses its config, then `setup` and `start` run across the boundary. The process runtime ' +
      'forks under Node’s permission model (`--permission`, read paths of the plugin and its dependency ' +
      'closure) with `--max-old-space-size`. One `WorkerRuntime` and one `ProcessRuntime` serve every run, ' +
      `as in a host. "stop" is \`shutdown()\` (stop hook, then terminate / SIGTERM until the exit). ${RUNS} ` +
      `timed rounds after ${WARMUP} warm-up rounds, each round one run of every row in turn. The ` +
      'baselines are what a user would write: `new Worker(file)` / ' +
      '`fork(file)` (same `advanced` serialization) of a trivial script until it posts its first message, ' +
      'then `terminate()` / SIGTERM until the exit. "bare" imports nothing; `echo` is the test fixture that ' +
      'imports `@trellis/core` and registers a route, an event subscription and a log line in `setup`.',
    '',
    '| start | p50 ms | p95 ms | vs baseline (p50) | stop p50 ms | stop p95 ms | vs baseline (p50) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.baseline === undefined ? ' (baseline)' : ''} | ${fmt(r.start.p50, 1)} | ${fmt(r.start.p95, 1)} | ` +
        `${ratio(r, (x) => x.start)} | ${fmt(r.stop.p50, 1)} | ${fmt(r.stop.p95, 1)} | ${ratio(r, (x) => x.stop)} |`,
    ),
  ];
}
