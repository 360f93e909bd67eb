import type { MessagePort } from 'node:worker_threads';

/** Indices into the shared Int32Array. */
export interface WatchdogSlots {
  /** Incremented by the main thread on every heartbeat. */
  readonly beat: number;
  /** Id of the plugin whose code runs on the main thread now; 0 for the host. */
  readonly plugin: number;
}

/** What the watchdog thread is started with. */
export interface WatchdogWorkerData {
  /** Int32 slots, see {@link WatchdogSlots}. */
  readonly ints: SharedArrayBuffer;
  /** One BigInt64 slot: epoch ms of the last heartbeat. */
  readonly beatAt: SharedArrayBuffer;
  readonly slots: WatchdogSlots;
  /** Receives `{ id, name }` for each plugin id; drained synchronously at every poll. */
  readonly namesPort: MessagePort;
  readonly thresholdMs: number;
  readonly heartbeatMs: number;
  readonly pollMs: number;
  readonly stderr: boolean;
  readonly reportFile?: string;
  readonly killAfterMs?: number;
  readonly killSignal: string;
}

/** A plugin name for an id, sent to the watchdog thread. */
export interface PluginNameMessage {
  readonly id: number;
  readonly name: string;
}

/**
 * One report of the watchdog thread, written as a JSON line to stderr / the report file and
 * posted to the main thread:
 * - `blocked`: the loop has stalled past the threshold; written while it still is.
 * - `resumed`: the loop turned again; `blockedMs` is the whole stall.
 * - `kill`: `killAfterMs` passed; the process is being sent `signal`.
 */
export interface WatchdogReport {
  readonly source: 'trellis-watchdog';
  readonly kind: 'blocked' | 'resumed' | 'kill';
  /** How long the loop has been (or was) stalled past its next heartbeat, ms: a lower bound. */
  readonly blockedMs: number;
  readonly thresholdMs: number;
  /** The plugin whose code was running when the stall was detected; absent for host code. */
  readonly plugin?: string;
  readonly pid: number;
  /** Epoch ms when the report was made. */
  readonly at: number;
  /** Epoch ms of the last heartbeat before the stall. */
  readonly lastBeatAt: number;
  /** The signal sent, for `kill`. */
  readonly signal?: string;
}

/** Messages from the watchdog thread to the main thread. */
export type WatchdogWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'report'; readonly report: WatchdogReport };
