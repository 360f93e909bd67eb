// Section 1: a hung plugin (busy loop) and a plugin over its heap cap, in a worker and in a
// process: how fast each is detected and killed, and how fast its replacement serves.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type BenchHost, HEAP_CAP_MB, installKillProbes } from './bench-host.js';
import { sleep } from './measure.js';
import { get, type RecoveryTrace, recover } from './trial.js';
import { LEAK_ARRAY_BYTES, PLUGINS } from './victims.js';

/** Timed hang runs per isolation, after one untimed warm-up run. */
export const HANG_RUNS = { worker: 20, process: 20 } as const;
/** Timed heap-cap runs per isolation, after one untimed warm-up run. */
export const OOM_RUNS = { worker: 10, process: 10 } as const;
/** Arrays of {@link LEAK_ARRAY_BYTES} the leaking plugin retains per turn of its event loop. */
export const LEAK_ARRAYS_PER_TURN = 4;
/** Raw spawns timed for the cold-start floor. */
const SPAWN_RUNS = 10;

/** One hang: busy loop → heartbeats stop → terminate → `plugin.exited` → restart → serving. */
export interface HangSample {
  readonly reason: string;
  /** Loop start (the `/hang` request sent) → the heartbeat monitor asks for the kill. */
  readonly detectMs: number;
  /** Kill asked → worker `terminate()` resolved / process `exit`. */
  readonly killMs: number;
  /** Loop start → `plugin.exited`. */
  readonly exitedMs: number;
  /** `plugin.exited` → the restarted plugin is `active`. */
  readonly restartMs: number;
  /** `plugin.exited` → first 200 from the restarted plugin. */
  readonly servingMs: number;
  /** Of `restartMs`: spawn, load, setup and start of the replacement. */
  readonly coldStartMs: number;
}

/** One heap-cap run: retain memory until the isolate dies, then the restart. */
export interface OomSample {
  readonly reason: string;
  /** Allocation start (the `/leak` request sent) → `plugin.exited`. */
  readonly exitMs: number;
  /** Heap growth, MB/s: least-squares slope of the heap at the leak's start and in each heartbeat after. */
  readonly rateMBps: number;
  /** Heap used at the last heartbeat before the leak, MB. */
  readonly baselineMB: number;
  /** Time to grow from the baseline to the cap at `rateMBps`, ms. */
  readonly fillMs: number;
  /** Heap used at the last heartbeat before the exit, MB. */
  readonly lastMB: number;
  /** Heartbeats seen during the leak. */
  readonly samples: number;
  /** `plugin.exited` → first 200 from the restarted plugin. */
  readonly servingMs: number;
  readonly coldStartMs: number;
}

/** Raw `new Worker` / `fork` of a trivial script until its first message, ms: the cold-start floor. */
export interface SpawnFloor {
  readonly worker: readonly number[];
  readonly process: readonly number[];
}

/** Section 1's samples. */
export interface FailureResults {
  readonly hang: { readonly worker: readonly HangSample[]; readonly process: readonly HangSample[] };
  readonly oom: { readonly worker: readonly OomSample[]; readonly process: readonly OomSample[] };
  readonly spawn: SpawnFloor;
}

type IsolatedKind = 'worker' | 'process';

async function hangOnce(bench: BenchHost, isolation: IsolatedKind): Promise<HangSample> {
  const name = PLUGINS.victim[isolation];
  const probes = installKillProbes();
  let id = -1;
  const trace = await recover(bench, name, async () => {
    const stats = bench.manager.stats(name);
    id = (isolation === 'worker' ? stats?.threadId : stats?.pid) ?? -1;
    const sentAt = performance.now();
    const status = await get(`${bench.url}/plugins/${name}/hang`);
    if (status !== 202) throw new Error(`/hang answered ${status}`);
    return sentAt;
  });
  const kill = isolation === 'worker' ? probes.worker(id) : probes.process(id);
  if (kill?.goneAt === undefined) throw new Error(`no kill recorded for ${isolation} ${id}`);
  return {
    reason: trace.exit.event.reason,
    detectMs: kill.requestedAt - trace.startedAt,
    killMs: kill.goneAt - kill.requestedAt,
    exitedMs: trace.exit.at - trace.startedAt,
    restartMs: trace.activeAt - trace.exit.at,
    servingMs: trace.servingAt - trace.exit.at,
    coldStartMs: trace.coldStartMs,
  };
}

interface HeapSample {
  /** Epoch ms of the heartbeat, on the plugin's side. */
  readonly at: number;
  readonly heapUsedBytes: number;
}

/** Least-squares slope of bytes over ms, in MB/s. */
function slopeMBps(samples: readonly HeapSample[]): number {
  if (samples.length < 2) return Number.NaN;
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.at, 0) / n;
  const my = samples.reduce((s, p) => s + p.heapUsedBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.at - mx) * (p.heapUsedBytes - my);
    den += (p.at - mx) ** 2;
  }
  return den === 0 ? Number.NaN : ((num / den) * 1_000) / 2 ** 20;
}

async function oomOnce(bench: BenchHost, isolation: IsolatedKind): Promise<OomSample> {
  const name = PLUGINS.victim[isolation];
  const samples: HeapSample[] = [];
  let timer: NodeJS.Timeout | undefined;
  let leakStartEpoch = Number.POSITIVE_INFINITY;
  let baseline: HeapSample | undefined;
  let trace: RecoveryTrace;
  try {
    trace = await recover(
      bench,
      name,
      async () => {
        // Heartbeats carry the plugin's heap; read each one of this instance as it lands.
        const idOf = (stats: ReturnType<typeof bench.manager.stats>) =>
          isolation === 'worker' ? stats?.threadId : stats?.pid;
        const id = idOf(bench.manager.stats(name));
        timer = setInterval(() => {
          const stats = bench.manager.stats(name);
          if (idOf(stats) !== id) return;
          const at = stats?.lastHeartbeatAt;
          const heapUsedBytes = stats?.heapUsedBytes;
          if (at === undefined || heapUsedBytes === undefined) return;
          if (at < leakStartEpoch) baseline = { at, heapUsedBytes };
          else if (samples.at(-1)?.at !== at) samples.push({ at, heapUsedBytes });
        }, 2);
        await sleep(150);
        leakStartEpoch = Date.now();
        const sentAt = performance.now();
        const status = await get(`${bench.url}/plugins/${name}/leak/${LEAK_ARRAYS_PER_TURN}`);
        if (status !== 202) throw new Error(`/leak answered ${status}`);
        return sentAt;
      },
      30_000,
    );
  } finally {
    clearInterval(timer);
  }
  // The heap is flat before the leak, so the baseline stands for the heap at the leak's start.
  const start = baseline ? [{ at: leakStartEpoch, heapUsedBytes: baseline.heapUsedBytes }] : [];
  const rateMBps = slopeMBps([...start, ...samples]);
  const baselineMB = (baseline?.heapUsedBytes ?? Number.NaN) / 2 ** 20;
  return {
    reason: trace.exit.event.reason,
    exitMs: trace.exit.at - trace.startedAt,
    rateMBps,
    baselineMB,
    fillMs: ((HEAP_CAP_MB - baselineMB) / rateMBps) * 1_000,
    lastMB: (samples.at(-1)?.heapUsedBytes ?? Number.NaN) / 2 ** 20,
    samples: samples.length,
    servingMs: trace.servingAt - trace.exit.at,
    coldStartMs: trace.coldStartMs,
  };
}

async function spawnFloor(dir: string): Promise<SpawnFloor> {
  const script = join(dir, 'ready.mjs');
  await writeFile(
    script,
    "import { parentPort } from 'node:worker_threads';\n" +
      "if (parentPort) parentPort.postMessage('ready'); else process.send('ready', () => process.exit(0));\n",
  );
  const worker: number[] = [];
  const child: number[] = [];
  for (let run = 0; run <= SPAWN_RUNS; run++) {
    let started = performance.now();
    const w = new Worker(script);
    await once(w, 'message');
    if (run > 0) worker.push(performance.now() - started);
    await w.terminate();
    started = performance.now();
    const c = fork(script, [], { execArgv: [], serialization: 'advanced' });
    await once(c, 'message');
    if (run > 0) child.push(performance.now() - started);
    if (c.exitCode === null) await once(c, 'exit');
  }
  return { worker, process: child };
}

async function repeat<T>(label: string, runs: number, trial: () => Promise<T>): Promise<T[]> {
  await trial(); // warm-up, not counted
  const samples: T[] = [];
  for (let run = 0; run < runs; run++) samples.push(await trial());
  console.log(`${label}: ${runs} runs`);
  return samples;
}

/** Runs section 1 against `bench`; `scratchDir` holds the raw-spawn script. */
export async function measureFailures(bench: BenchHost, scratchDir: string): Promise<FailureResults> {
  const hang = {
    worker: await repeat('hang worker', HANG_RUNS.worker, () => hangOnce(bench, 'worker')),
    process: await repeat('hang process', HANG_RUNS.process, () => hangOnce(bench, 'process')),
  };
  const oom = {
    worker: await repeat('heap cap worker', OOM_RUNS.worker, () => oomOnce(bench, 'worker')),
    process: await repeat('heap cap process', OOM_RUNS.process, () => oomOnce(bench, 'process')),
  };
  const spawn = await spawnFloor(scratchDir);
  return { hang, oom, spawn };
}

/** Bytes the leak retains per turn, for the report. */
export const LEAK_BYTES_PER_TURN = LEAK_ARRAYS_PER_TURN * LEAK_ARRAY_BYTES;
