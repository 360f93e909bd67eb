// Section 2: time from a plugin crash to serving again (MTTR), per isolation: `manager.kill`
// (what a chaos crash does) for all three, and a real uncaught exception for the isolated ones.
import type { BenchHost } from './bench-host.js';
import { get, recover } from './trial.js';
import { type Isolation, PLUGINS } from './victims.js';

/** Timed runs per row, after one untimed warm-up run. */
export const MTTR_RUNS = 20;

/** How the plugin was brought down. */
export type CrashCause = 'kill' | 'crash';

/** One crash and recovery. */
export interface MttrSample {
  readonly reason: string;
  /** Crash → first 200 from the restarted plugin. */
  readonly mttrMs: number;
  /** Crash → `plugin.exited`. */
  readonly detectMs: number;
  /** `plugin.exited` → `active` again. */
  readonly restartMs: number;
  /** Of `restartMs`: load, setup and start of the new instance. */
  readonly coldStartMs: number;
}

/** The samples of one row. */
export interface MttrRow {
  readonly isolation: Isolation;
  readonly cause: CrashCause;
  readonly samples: readonly MttrSample[];
}

async function crashOnce(bench: BenchHost, isolation: Isolation, cause: CrashCause): Promise<MttrSample> {
  const name = PLUGINS.victim[isolation];
  const trace = await recover(bench, name, async () => {
    const at = performance.now();
    if (cause === 'kill') bench.manager.kill(name, 'bench: killed');
    else {
      const status = await get(`${bench.url}/plugins/${name}/crash`);
      if (status !== 202) throw new Error(`/crash answered ${status}`);
    }
    return at;
  });
  return {
    reason: trace.exit.event.reason,
    mttrMs: trace.servingAt - trace.startedAt,
    detectMs: trace.exit.at - trace.startedAt,
    restartMs: trace.activeAt - trace.exit.at,
    coldStartMs: trace.coldStartMs,
  };
}

/** Runs section 2 against `bench`. */
export async function measureMttr(bench: BenchHost): Promise<MttrRow[]> {
  const plan: [Isolation, CrashCause][] = [
    ['inline', 'kill'],
    ['worker', 'kill'],
    ['worker', 'crash'],
    ['process', 'kill'],
    ['process', 'crash'],
  ];
  const rows: MttrRow[] = [];
  for (const [isolation, cause] of plan) {
    await crashOnce(bench, isolation, cause); // warm-up, not counted
    const samples: MttrSample[] = [];
    for (let run = 0; run < MTTR_RUNS; run++) samples.push(await crashOnce(bench, isolation, cause));
    rows.push({ isolation, cause, samples });
    console.log(`mttr ${isolation} ${cause}: ${MTTR_RUNS} runs`);
  }
  return rows;
}
