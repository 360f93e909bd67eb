// The watchdog thread. It runs on its own event loop, so it keeps working while the main thread
// is stuck in a synchronous loop. It imports only node builtins (type imports are erased): it is
// loaded from dist by path, outside any module mapping, and jest cannot instrument it.
import { appendFileSync, writeSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type {
  PluginNameMessage,
  WatchdogReport,
  WatchdogWorkerData,
  WatchdogWorkerMessage,
} from './watchdog-protocol.js';

const data = workerData as WatchdogWorkerData;
const ints = new Int32Array(data.ints);
const beatAt = new BigInt64Array(data.beatAt);
const names = new Map<number, string>();

interface Episode {
  /** The heartbeat counter when the stall was seen; a new count means the loop turned. */
  readonly beat: number;
  /** Epoch ms of the last heartbeat before the stall. */
  readonly since: number;
  readonly plugin: string | undefined;
  killed: boolean;
}

let episode: Episode | undefined;

function drainNames(): void {
  // Synchronous: a name sent just before a plugin blocked the loop is known at the next poll.
  for (
    let entry = receiveMessageOnPort(data.namesPort);
    entry;
    entry = receiveMessageOnPort(data.namesPort)
  ) {
    const message = entry.message as PluginNameMessage;
    names.set(message.id, message.name);
  }
}

function report(
  kind: WatchdogReport['kind'],
  blockedMs: number,
  since: number,
  plugin: string | undefined,
): void {
  const entry: WatchdogReport = {
    source: 'trellis-watchdog',
    kind,
    blockedMs: Math.max(0, Math.round(blockedMs)),
    thresholdMs: data.thresholdMs,
    ...(plugin !== undefined ? { plugin } : {}),
    pid: process.pid,
    at: Date.now(),
    lastBeatAt: since,
    ...(kind === 'kill' ? { signal: data.killSignal } : {}),
  };
  const line = `${JSON.stringify(entry)}\n`;
  // Written synchronously to the file descriptors: process.stderr of a worker is relayed through
  // the main thread, which is the one that is stuck.
  if (data.stderr) {
    try {
      writeSync(2, line);
    } catch {
      // A closed or full stderr must not kill the watchdog.
    }
  }
  if (data.reportFile) {
    try {
      appendFileSync(data.reportFile, line);
    } catch {
      // Same: reporting is best effort, detection goes on.
    }
  }
  const message: WatchdogWorkerMessage = { type: 'report', report: entry };
  parentPort?.postMessage(message);
}

function poll(): void {
  drainNames();
  const beat = Atomics.load(ints, data.slots.beat);
  const lastBeat = Number(Atomics.load(beatAt, 0));
  const now = Date.now();
  if (episode && beat !== episode.beat) {
    // The loop turned: the stall lasted from the beat before it to this late beat, less the period.
    report('resumed', lastBeat - episode.since - data.heartbeatMs, episode.since, episode.plugin);
    episode = undefined;
  }
  // Overdue time of the next heartbeat: the event-loop delay as it accumulates.
  const overdueMs = now - lastBeat - data.heartbeatMs;
  if (!episode && overdueMs >= data.thresholdMs) {
    const id = Atomics.load(ints, data.slots.plugin);
    const plugin = id === 0 ? undefined : (names.get(id) ?? `#${id}`);
    episode = { beat, since: lastBeat, plugin, killed: false };
    report('blocked', overdueMs, lastBeat, plugin);
  }
  if (episode && !episode.killed && data.killAfterMs !== undefined && overdueMs >= data.killAfterMs) {
    episode.killed = true;
    report('kill', overdueMs, episode.since, episode.plugin);
    process.kill(process.pid, data.killSignal as NodeJS.Signals);
  }
}

setInterval(poll, data.pollMs);
const ready: WatchdogWorkerMessage = { type: 'ready' };
parentPort?.postMessage(ready);
