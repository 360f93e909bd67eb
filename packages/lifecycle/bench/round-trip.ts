// Section 3: one call into a loaded plugin — its health check, and an HTTP route handler through the
// router proxy — inline, across a worker thread and across a child process, against raw
// postMessage / IPC ping-pong. tinybench (via @trellis/bench) gives mean and margin against the
// baseline; a separate loop of individually timed calls gives p50 and p99.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type BenchGroup, type BenchRow, runSuite } from '@trellis/bench';
import type { Plugin } from '@trellis/core';
import {
  InlineRuntime,
  type PluginInstance,
  type PluginRuntime,
  ProcessRuntime,
  WorkerRuntime,
} from '@trellis/lifecycle';
import type { BoundaryFixtures, PluginFolder } from './fixtures.js';
import { type BenchHost, benchContext, createBenchHost, getRequest } from './host.js';
import { fmt, type Summary, summarize, timeInterleaved, times } from './measure.js';

/** Individually timed calls per task for p50 / p99, in blocks of {@link BLOCK}, after {@link WARMUP_CALLS}. */
const TIMED_CALLS = 5_000;
const BLOCK = 100;
const WARMUP_CALLS = 500;
const DEADLINE = { timeoutMs: 5_000 } as const;
// What crosses in the raw baselines: about the size of the runtime's call envelope.
const PING = { id: 1, method: 'ping', args: [] };

/** A measured call: tinybench's row and the percentiles of the timed loop. */
export interface RoundTripRow {
  readonly boundary: string;
  readonly task: string;
  readonly baseline: boolean;
  readonly bench: BenchRow;
  readonly timed: Summary;
}

interface Loaded {
  readonly host: BenchHost;
  readonly instance: PluginInstance;
}

async function load(runtime: PluginRuntime, plugin: PluginFolder): Promise<Loaded> {
  const host = createBenchHost();
  const { manifest, dir } = plugin;
  const instance = await runtime.load(
    {
      manifest,
      dir,
      entry: join(dir, manifest.main ?? 'index.js'),
      config: {},
      granted: manifest.permissions ?? [],
    },
    benchContext(host, manifest),
  );
  await instance.call('setup', DEADLINE);
  await instance.call('start', DEADLINE);
  return { host, instance };
}

/** A ping-pong over a message port: post `PING`, resolve on the echo. */
function pingPong(
  post: (message: unknown) => void,
  subscribe: (listener: () => void) => void,
): () => Promise<void> {
  let pending: (() => void) | undefined;
  subscribe(() => pending?.());
  return () =>
    new Promise<void>((resolve) => {
      pending = resolve;
      post(PING);
    });
}

async function startWorker(script: string): Promise<{ worker: Worker; call: () => Promise<void> }> {
  const worker = new Worker(script);
  await once(worker, 'message');
  const call = pingPong(
    (message) => worker.postMessage(message),
    (listener) => worker.on('message', listener),
  );
  return { worker, call };
}

async function startChild(script: string): Promise<{ child: ChildProcess; call: () => Promise<void> }> {
  const child = fork(script, [], { execArgv: [], serialization: 'advanced' });
  await once(child, 'message');
  const call = pingPong(
    (message) => child.send(message as never),
    (listener) => child.on('message', listener),
  );
  return { child, call };
}

interface Boundary {
  readonly title: string;
  readonly description: string;
  readonly baseline: { readonly name: string; readonly fn: () => Promise<unknown> };
  readonly runtime: PluginRuntime;
}

/** Runs section 3. */
export async function measureRoundTrips(fixtures: BoundaryFixtures): Promise<RoundTripRow[]> {
  const pingDefinition = (
    (await import(pathToFileURL(join(fixtures.ping.dir, 'index.mjs')).href)) as { plugin: Plugin }
  ).plugin;
  const rawWorker = await startWorker(fixtures.workerScript);
  const rawChild = await startChild(fixtures.processScript);
  const boundaries: Boundary[] = [
    {
      title: 'inline',
      description: 'InlineRuntime: same thread; the baseline calls the definition’s `health` directly.',
      baseline: {
        name: 'direct `plugin.health()` call',
        fn: async () => pingDefinition.health?.(undefined as never),
      },
      runtime: new InlineRuntime(),
    },
    {
      title: 'worker',
      description: 'WorkerRuntime: one worker thread; the baseline is a raw `postMessage` ping-pong.',
      baseline: { name: 'raw `postMessage` ping-pong', fn: rawWorker.call },
      runtime: new WorkerRuntime(),
    },
    {
      title: 'process',
      description: 'ProcessRuntime: one child process; the baseline is a raw IPC ping-pong (`advanced`).',
      baseline: { name: 'raw IPC ping-pong', fn: rawChild.call },
      runtime: new ProcessRuntime(),
    },
  ];
  const loaded: PluginInstance[] = [];
  const groups: BenchGroup[] = [];
  for (const boundary of boundaries) {
    const ping = await load(boundary.runtime, fixtures.ping);
    const echo = await load(boundary.runtime, fixtures.echo);
    loaded.push(ping.instance, echo.instance);
    const pingRoute = ping.host.router.handler('GET', '/ping');
    const echoRoute = echo.host.router.handler('GET', '/echo/:word');
    const pingRequest = getRequest('/ping');
    const echoRequest = getRequest('/echo/hello', { word: 'hello' });
    groups.push({
      title: boundary.title,
      description: boundary.description,
      baseline: boundary.baseline,
      tasks: [
        { name: '`instance.health()`', fn: () => ping.instance.health(DEADLINE) },
        { name: 'route handler `GET /ping`', fn: () => pingRoute(pingRequest) },
        { name: 'route handler `echo` (+ a cache call back)', fn: () => echoRoute(echoRequest) },
      ],
    });
  }
  const rows: RoundTripRow[] = [];
  try {
    const benchRows = await runSuite({
      title: '@trellis/lifecycle round trips',
      file: 'lifecycle.md',
      command: 'pnpm build && pnpm --filter @trellis/lifecycle bench',
      groups,
    });
    const tasks = groups.flatMap((group) =>
      [group.baseline, ...group.tasks].map((task) => ({ group, task })),
    );
    const samples = await timeInterleaved(
      tasks.map(({ task }) => task.fn),
      TIMED_CALLS,
      BLOCK,
      WARMUP_CALLS,
    );
    for (const [index, { group, task }] of tasks.entries()) {
      const bench = benchRows.find((row) => row.group === group.title && row.task === task.name);
      if (bench === undefined) throw new Error(`no tinybench row for ${group.title} / ${task.name}`);
      rows.push({
        boundary: group.title,
        task: task.name,
        baseline: task === group.baseline,
        bench,
        timed: summarize(samples[index] ?? []),
      });
    }
  } finally {
    await Promise.all(loaded.map((instance) => instance.dispose()));
    await rawWorker.worker.terminate();
    rawChild.child.kill('SIGTERM');
  }
  return rows;
}

/** Section 3 as markdown. */
export function roundTripMarkdown(rows: readonly RoundTripRow[]): string[] {
  const inline = (task: string) => rows.find((r) => r.boundary === 'inline' && r.task === task);
  const baselineOf = (boundary: string) => rows.find((r) => r.boundary === boundary && r.baseline);
  return [
    '## Round-trip call latency across each boundary',
    '',
    'One plugin loaded and started through each runtime directly (`runtime.load(spec, context)` on a silent ' +
      'platform), then called again and again: `instance.health({ timeoutMs })` on a plugin whose health ' +
      'hook returns `pass`, the host-side handler of its `GET /ping` route (for a worker or process: the ' +
      'router proxy posts the request across and awaits the response), and the `echo` fixture’s route, whose ' +
      'handler calls `ctx.cache.getOrSet` — a second crossing, back to the host, inside the first. The router ' +
      'has no server: the handler is invoked directly, so URL matching and sockets are not in the numbers. ' +
      'Baselines: a direct call of the definition’s `health` (inline); a raw `postMessage` ping-pong with a ' +
      "worker and a raw IPC ping-pong with a `fork`ed child (`serialization: 'advanced'`, as the process " +
      'runtime uses) of a small object, each echoed by a trivial script. Mean, ±% (relative margin of error) ' +
      'and "vs baseline (mean)" come from tinybench (1 s per task after a 250 ms warm-up, `@trellis/bench`), ' +
      `one task after the other. p50 / p99 come from ${fmt(TIMED_CALLS, 0)} further calls of each task timed ` +
      `one by one, after ${WARMUP_CALLS} warm-up calls, in blocks of ${BLOCK} calls of every task in turn, so ` +
      'that other work on the machine lands on all tasks alike: on a shared machine, prefer the p50 ratios. ' +
      '"vs inline" divides the p50 by the same call’s inline p50.',
    '',
    '| boundary | call | mean µs | ±% | vs baseline (mean) | p50 µs | p99 µs | vs baseline (p50) | vs inline (p50) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const base = baselineOf(r.boundary);
      const same = inline(r.task);
      const vsBaseline = r.baseline
        ? 'baseline'
        : times(r.bench.meanMicros / (base?.bench.meanMicros ?? NaN));
      const vsBaselineP50 = r.baseline ? 'baseline' : times(r.timed.p50 / (base?.timed.p50 ?? NaN));
      const vsInline =
        r.baseline || r.boundary === 'inline' || same === undefined
          ? '—'
          : times(r.timed.p50 / same.timed.p50);
      return (
        `| ${r.boundary} | ${r.task}${r.baseline ? ' (baseline)' : ''} | ${fmt(r.bench.meanMicros, 2)} | ` +
        `${fmt(r.bench.rmePercent, 2)} | ${vsBaseline} | ${fmt(r.timed.p50 * 1_000, 2)} | ` +
        `${fmt(r.timed.p99 * 1_000, 2)} | ${vsBaselineP50} | ${vsInline} |`
      );
    }),
  ];
}
