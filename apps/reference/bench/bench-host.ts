// The failure and MTTR sections' host: the reference app's assembly (resilience module, Fastify
// router, the app's plugin-host module, supervision, HTTP server, its error handler), assembled
// here rather than by startReferenceApp because detecting a hang within 500 ms needs runtimes with
// heartbeats faster than their defaults (250 ms / 1,000 ms), which are handed to the module. Everything else is the app's code from its built dist/.
import { ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { ConsoleLogger, createPlatform, type Platform } from '@trellis/core';
import { type PluginManager, ProcessRuntime, WorkerRuntime } from '@trellis/lifecycle';
import {
  createHttpModule,
  createHttpServerModule,
  createPluginHostModule,
  PLUGIN_HOST,
  type PluginHost,
} from '@trellis/reference';
import {
  createResilienceModule,
  createSupervisionModule,
  type ResilienceConfigInput,
} from '@trellis/resilience';
import Fastify from 'fastify';
import { PLUGINS } from './victims.js';

/** Heartbeats of the bench's worker and process runtimes: fast enough to catch a hang in 500 ms. */
export const HEARTBEAT = { intervalMs: 100, timeoutMs: 400 } as const;

/** Old-generation heap cap of every bench worker and process, MB (the runtimes' default is 128). */
export const HEAP_CAP_MB = 32;

/** The supervisor's backoff at its minimum: restart at once, no jitter. */
export const MIN_BACKOFF = { initialMs: 0, maxMs: 0, multiplier: 1, jitter: 0 } as const;

/** Restart intensity high enough that the supervisor never gives up during the bench. */
export const BENCH_INTENSITY = { maxRestarts: 100_000, periodMs: 60_000 } as const;

/** When the host asked a worker or process to die, and when it was gone. */
export interface KillRecord {
  /** `performance.now()` of the first `worker.terminate()` / `child.kill()` call. */
  readonly requestedAt: number;
  /** Signal of a `child.kill()`; none for a worker. */
  readonly signal?: string;
  /** `performance.now()` when the worker's `terminate()` promise resolved or the child's `exit` fired. */
  goneAt?: number;
}

/** First kill of each worker (by thread id) and child process (by pid), seen by patching Node's classes. */
export interface KillProbes {
  worker(threadId: number): KillRecord | undefined;
  process(pid: number): KillRecord | undefined;
}

let probes: KillProbes | undefined;

/**
 * Wraps `Worker.prototype.terminate` and `ChildProcess.prototype.kill` to time-stamp the host's
 * first request to end each worker or process and the moment it is gone. The runtimes call
 * these synchronously from the heartbeat monitor's `onMissed`, so `requestedAt` is the moment of
 * detection. Idempotent; the wrappers only record and pass through.
 */
export function installKillProbes(): KillProbes {
  if (probes) return probes;
  const workers = new Map<number, KillRecord>();
  const children = new Map<number, KillRecord>();
  const terminate = Worker.prototype.terminate;
  Worker.prototype.terminate = function (this: Worker): Promise<number> {
    const requestedAt = performance.now();
    const id = this.threadId;
    const promise = terminate.call(this);
    if (id >= 0 && !workers.has(id)) {
      const record: KillRecord = { requestedAt };
      workers.set(id, record);
      promise.then(
        () => {
          record.goneAt = performance.now();
        },
        () => undefined,
      );
    }
    return promise;
  };
  const kill = ChildProcess.prototype.kill;
  ChildProcess.prototype.kill = function (this: ChildProcess, signal?: NodeJS.Signals | number): boolean {
    const pid = this.pid;
    if (pid !== undefined && !children.has(pid) && this.exitCode === null && this.signalCode === null) {
      const record: KillRecord = { requestedAt: performance.now(), signal: String(signal ?? 'SIGTERM') };
      children.set(pid, record);
      this.once('exit', () => {
        record.goneAt = performance.now();
      });
    }
    return kill.call(this, signal);
  };
  probes = { worker: (id) => workers.get(id), process: (pid) => children.get(pid) };
  return probes;
}

/** A started bench host. */
export interface BenchHost {
  readonly platform: Platform;
  readonly host: PluginHost;
  readonly manager: PluginManager;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Options of {@link startBenchHost}. */
export interface BenchHostOptions {
  readonly pluginsDir: string;
  /** The `resilience` config section, as the app would read it. */
  readonly resilience: ResilienceConfigInput;
}

/** Runtimes with the bench's fast heartbeats and small heap cap (the defaults are 250 / 1,000 ms, 128 MB). */
function benchRuntimes() {
  return {
    worker: new WorkerRuntime({
      heartbeatIntervalMs: HEARTBEAT.intervalMs,
      heartbeatTimeoutMs: HEARTBEAT.timeoutMs,
      resourceLimits: { maxOldGenerationSizeMb: HEAP_CAP_MB },
    }),
    process: new ProcessRuntime({
      heartbeatIntervalMs: HEARTBEAT.intervalMs,
      heartbeatTimeoutMs: HEARTBEAT.timeoutMs,
      maxOldGenerationSizeMb: HEAP_CAP_MB,
    }),
  };
}

/** Assembles and starts the bench host on a free port, silent. */
export async function startBenchHost(options: BenchHostOptions): Promise<BenchHost> {
  installKillProbes();
  const runtimes = benchRuntimes();
  const server = Fastify({ logger: false });
  const platform: Platform = createPlatform({
    name: 'resilience-bench',
    logLevel: 'silent',
    services: { logger: new ConsoleLogger({ level: 'silent' }) },
    modules: [
      createResilienceModule({
        config: options.resilience,
        crash: (target) => {
          const name = target.startsWith('plugin:') ? target.slice('plugin:'.length) : undefined;
          if (name) platform.resolve(PLUGIN_HOST).manager?.kill(name, 'chaos: injected crash');
        },
      }),
      createHttpModule(server),
      createPluginHostModule({
        pluginsDir: options.pluginsDir,
        runtimes,
        // The process victim keeps a spare process, as the app's `notes` does (pluginHost.policies).
        policies: { [PLUGINS.victim.process]: { warmStandby: true } },
      }),
      createSupervisionModule({
        config: options.resilience,
        heapOf: (name) => {
          const stats = platform.resolve(PLUGIN_HOST).manager?.stats(name);
          return stats?.heapUsedBytes !== undefined && stats.heapLimitBytes !== undefined
            ? { heapUsedBytes: stats.heapUsedBytes, heapLimitBytes: stats.heapLimitBytes }
            : undefined;
        },
      }),
      createHttpServerModule(server, { host: '127.0.0.1', port: 0, drainTimeoutMs: 2_000 }),
    ],
  });
  // The app's error handler: a 5xx says "Internal error", the rest say what went wrong.
  server.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    return reply.code(status).send({
      error: {
        code: error.code ?? 'INTERNAL_ERROR',
        message: status >= 500 ? 'Internal error' : error.message,
      },
    });
  });
  await platform.start();
  const address = server.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the bench host is not listening');
  const host = platform.resolve(PLUGIN_HOST);
  const manager = host.manager;
  if (!manager) throw new Error('the plugin host did not boot');
  return {
    platform,
    host,
    manager,
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      await platform.stop();
      // Given runtimes are the caller's to dispose: their warm standbys end here.
      await Promise.all([runtimes.worker.dispose(), runtimes.process.dispose()]);
    },
  };
}
