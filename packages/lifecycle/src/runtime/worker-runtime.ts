import { Worker } from 'node:worker_threads';
import type { PluginContext } from '@trellis/core';
import { DEFAULT_SERVICE_PERMISSIONS, type ServicePermissionRules } from '../permissions/permission-rules.js';
import { childBootstrap } from './bootstrap-path.js';
import type { ChannelMessage } from './child/protocol.js';
import type { ChildEnd, ChildHandle } from './child-handle.js';
import { loadIsolatedPlugin } from './isolated-instance.js';
import { readLines } from './output-lines.js';
import type { PluginInstance, PluginRuntime, RuntimePluginSpec } from './plugin-runtime.js';

/** V8 limits of a plugin's worker; the isolate is terminated with `oom` when it passes them. */
export interface WorkerResourceLimits {
  /** Old-generation heap, in MB. Default 128. */
  readonly maxOldGenerationSizeMb?: number;
  /** Young-generation heap, in MB. Default V8's. */
  readonly maxYoungGenerationSizeMb?: number;
  /** Thread stack, in MB. Default 4 (Node's). */
  readonly stackSizeMb?: number;
}

/** Options of {@link WorkerRuntime}, shared by {@link ProcessRuntime} where they apply. */
export interface IsolatedRuntimeOptions {
  /** How often the plugin side sends a heartbeat. Default 250 ms. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Silence after which the plugin is deemed hung (its event loop blocked) and killed with exit
   * reason `hang`. Watched from the end of load. Default 1,000 ms.
   */
  readonly heartbeatTimeoutMs?: number;
  /** How long importing and configuring the plugin may take. Default 10,000 ms. */
  readonly loadTimeoutMs?: number;
  /** Deadline of each service call and callback across the boundary. Default 5,000 ms. */
  readonly callTimeoutMs?: number;
  /** Token key → permission; default {@link DEFAULT_SERVICE_PERMISSIONS}. Must match the host's. */
  readonly permissionRules?: ServicePermissionRules;
}

/** Options of {@link WorkerRuntime}. */
export interface WorkerRuntimeOptions extends IsolatedRuntimeOptions {
  /** Default `{ maxOldGenerationSizeMb: 128 }`. */
  readonly resourceLimits?: WorkerResourceLimits;
  /**
   * Keep one started, idle worker ready for the next plugin (default true). A worker thread
   * takes tens of milliseconds to start; with a standby, restarting a crashed plugin or starting
   * a lazy one skips that. It costs one idle isolate (about 10 MB) once the first worker plugin
   * has loaded, and never keeps the process alive.
   */
  readonly warmStandby?: boolean;
}

/** Defaults of {@link IsolatedRuntimeOptions}. */
export const ISOLATION_DEFAULTS = Object.freeze({
  heartbeatIntervalMs: 250,
  heartbeatTimeoutMs: 1_000,
  loadTimeoutMs: 10_000,
  callTimeoutMs: 5_000,
  maxOldGenerationSizeMb: 128,
});

/**
 * Runs each plugin in its own worker thread: its own V8 isolate and event loop, with heap limits.
 * A crash, a blocked event loop (missed heartbeats), running out of memory or `process.exit()`
 * in the plugin end only its worker: pending calls reject with `PLUGIN_RUNTIME_EXITED` and
 * `onExit` hears the reason. Workers share the host process, so this isolates faults, not
 * privileges: a worker plugin can read what the host can (use `process` isolation for that).
 * The plugin's stdout and stderr lines go to its logger (info and warn).
 */
export class WorkerRuntime implements PluginRuntime {
  readonly kind = 'worker' as const;
  readonly #options: WorkerRuntimeOptions;
  #standby: Worker | undefined;
  #disposed = false;

  constructor(options: WorkerRuntimeOptions = {}) {
    this.#options = options;
  }

  async load(spec: RuntimePluginSpec, context: PluginContext): Promise<PluginInstance> {
    const o = this.#options;
    const worker = this.#takeStandby() ?? this.#spawn(spec.manifest.name);
    worker.ref();
    readLines(worker.stdout, (line) => context.logger.info({ stream: 'stdout' }, line));
    readLines(worker.stderr, (line) => context.logger.warn({ stream: 'stderr' }, line));
    if (o.warmStandby !== false && !this.#disposed) this.#standby ??= this.#spawnStandby();
    return loadIsolatedPlugin({
      spec,
      context,
      handle: workerHandle(worker),
      rules: o.permissionRules ?? DEFAULT_SERVICE_PERMISSIONS,
      heartbeatIntervalMs: o.heartbeatIntervalMs ?? ISOLATION_DEFAULTS.heartbeatIntervalMs,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? ISOLATION_DEFAULTS.heartbeatTimeoutMs,
      loadTimeoutMs: o.loadTimeoutMs ?? ISOLATION_DEFAULTS.loadTimeoutMs,
      callTimeoutMs: o.callTimeoutMs ?? ISOLATION_DEFAULTS.callTimeoutMs,
    });
  }

  /** Thread id of the idle standby worker, when one is ready (for tests and diagnostics). */
  get standbyThreadId(): number | undefined {
    return this.#standby?.threadId;
  }

  /** Ends the standby worker; later loads start workers on demand again. Idempotent. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const standby = this.#standby;
    this.#standby = undefined;
    await standby?.terminate();
  }

  #takeStandby(): Worker | undefined {
    const standby = this.#standby;
    this.#standby = undefined;
    return standby;
  }

  #spawnStandby(): Worker {
    const worker = this.#spawn('standby');
    // An idle standby must never hold the process open, and one that dies is simply replaced later.
    worker.unref();
    worker.once('exit', () => {
      if (this.#standby === worker) this.#standby = undefined;
    });
    worker.on('error', () => undefined);
    return worker;
  }

  #spawn(name: string): Worker {
    const limits = this.#options.resourceLimits ?? {};
    // The bootstrap is the same for every plugin: the plugin's spec arrives later, by message.
    return new Worker(childBootstrap(name, 'worker', 'worker-main.js'), {
      name: `trellis-plugin:${name}`,
      // Not the host's flags: a loader (tsx), --inspect or --cpu-prof would load into every plugin.
      execArgv: [],
      // Piped rather than mixed into the host's own output: lines go to the plugin's logger.
      stdout: true,
      stderr: true,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb ?? ISOLATION_DEFAULTS.maxOldGenerationSizeMb,
        ...(limits.maxYoungGenerationSizeMb === undefined
          ? {}
          : { maxYoungGenerationSizeMb: limits.maxYoungGenerationSizeMb }),
        ...(limits.stackSizeMb === undefined ? {} : { stackSizeMb: limits.stackSizeMb }),
      },
    });
  }
}

function workerHandle(worker: Worker): ChildHandle {
  let failure: (Error & { code?: unknown }) | undefined;
  let terminated = false;
  let gone = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // The first error is the cause of death; the Worker emits it just before `exit`.
  worker.on('error', (error: Error) => {
    failure ??= error;
  });
  return {
    kind: 'worker',
    threadId: worker.threadId,
    send(message: ChannelMessage) {
      if (!gone) worker.postMessage(message);
    },
    onMessage(listener) {
      worker.on('message', listener);
    },
    onEnd(listener) {
      worker.once('exit', (code: number) => {
        gone = true;
        listener(classifyWorkerEnd(code, failure, terminated));
      });
    },
    async terminate() {
      terminated = true;
      if (!gone) await worker.terminate();
      await exited;
    },
  };
}

function classifyWorkerEnd(
  code: number,
  failure: (Error & { code?: unknown }) | undefined,
  terminated: boolean,
): ChildEnd {
  if (failure?.code === 'ERR_WORKER_OUT_OF_MEMORY') return { reason: 'oom', code, detail: failure.message };
  if (failure !== undefined) return { reason: 'crash', code, detail: `${failure.name}: ${failure.message}` };
  if (terminated) return { reason: 'killed', code, detail: 'terminated by the host' };
  return { reason: 'exit', code, detail: `the plugin called process.exit(${code})` };
}
