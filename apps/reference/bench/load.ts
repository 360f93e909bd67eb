// The host side of the load generator: forks load-client.ts in its own process and collects
// its result.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadStart, LoadTarget, TargetResult } from './load-client.js';
import { type Summary, summarize } from './measure.js';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/** A load generator that is firing; {@link RunningLoad.stop} ends it. */
export interface RunningLoad {
  /** Stops firing, waits for the requests in flight and returns what every target saw. */
  stop(): Promise<LoadResult>;
  /** Kills the client process at once (after a failure elsewhere); does nothing once it exited. */
  abort(): void;
}

/** Forks the load client against `url` and starts `targets`, each at its own rate. */
export async function startLoad(
  url: string,
  targets: readonly LoadTarget[],
  timeoutMs = 10_000,
): Promise<RunningLoad> {
  // Plain node, whatever this process runs under: the client strips its own types.
  const child = fork(CLIENT, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(child, 'message');
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: { type?: string }) => {
      if (message.type === 'result') resolve(message as LoadResult);
    });
    child.once('exit', (code) => reject(new Error(`load client exited with ${code} before its result`)));
  });
  // Only `stop` awaits the result; after an abort nobody does.
  result.catch(() => undefined);
  const start: LoadStart = { type: 'start', url, targets, timeoutMs };
  child.send(start);
  return {
    async stop() {
      child.send({ type: 'stop' });
      const outcome = await result;
      if (child.exitCode === null) await once(child, 'exit');
      return outcome;
    },
    abort() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** A target's result reduced to what the report shows. */
export interface TargetFigures {
  readonly name: string;
  readonly sent: number;
  /** 2xx answers. */
  readonly ok: number;
  /** Answers or failures that are not 2xx, by kind. */
  readonly failures: Readonly<Record<string, number>>;
  /** Latency of every answered request, ms. */
  readonly latency: Summary;
}

/** Counts 2xx answers as successes and everything else as failures, by kind. */
export function figures(result: TargetResult): TargetFigures {
  let ok = 0;
  const failures: Record<string, number> = {};
  for (const [outcome, count] of Object.entries(result.outcomes)) {
    if (/^2\d\d$/.test(outcome)) ok += count;
    else failures[outcome] = count;
  }
  return { name: result.name, sent: result.sent, ok, failures, latency: summarize(result.latenciesMs) };
}

/** `404 × 3, error:timeout × 1`, or `none`. */
export function describeFailures(failures: Readonly<Record<string, number>>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? 'none' : entries.map(([kind, count]) => `${kind} × ${count}`).join(', ');
}
