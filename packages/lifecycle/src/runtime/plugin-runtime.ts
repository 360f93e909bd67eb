import type {
  Disposer,
  HealthCheckResult,
  PluginContext,
  PluginIsolation,
  PluginManifest,
} from '@trellis/core';
import type { RuntimeExitReason } from '../errors.js';

/** What a runtime needs to run one plugin. */
export interface RuntimePluginSpec {
  readonly manifest: PluginManifest;
  /** Absolute path of the plugin folder. */
  readonly dir: string;
  /** Absolute path of the entry file (`main`). */
  readonly entry: string;
  /**
   * The plugin's config slice. Inline plugins get it as the host parsed it; isolated plugins get
   * it raw (structured-clone safe) and parse it with their own `configSchema` on their side.
   */
  readonly config: unknown;
  /** Permissions the host granted (a subset of what the manifest asks for). */
  readonly granted: readonly string[];
  /** Load the code afresh, bypassing the module cache (a reload); workers and processes always do. */
  readonly fresh?: boolean;
  /**
   * Ask the runtime to keep a spare, started process for this plugin so its next load skips the
   * fork (process runtime; the worker runtime keeps one shared standby regardless).
   */
  readonly warmStandby?: boolean;
  /** The plugin's data folder: `ctx.dataDir`, and readable and writable by a process plugin. */
  readonly dataDir?: string;
}

/** A hook the host calls on a loaded plugin. */
export type PluginHookName = 'setup' | 'start' | 'stop';

/** Options of one call into a plugin. */
export interface RuntimeCallOptions {
  /** The call fails with `PLUGIN_HOOK_TIMEOUT` after this long; the plugin is not waited on. */
  readonly timeoutMs: number;
  /** W3C `traceparent` of the caller's span, handed to the plugin side. */
  readonly traceparent?: string;
}

/** How an isolated plugin's worker or process ended when nobody asked it to. */
export interface RuntimeExit {
  readonly reason: RuntimeExitReason;
  /** Exit code, when there is one. */
  readonly code?: number;
  /** What happened, in words (the crash message, the heap limit...). */
  readonly detail: string;
}

/** Live figures about a loaded plugin, for reports and failure prediction. */
export interface RuntimeStats {
  readonly kind: PluginIsolation;
  /** Heap used by the plugin's isolate or process, in bytes (inline: not measurable alone). */
  readonly heapUsedBytes?: number;
  /** The heap limit of that isolate or process, in bytes, for leak prediction. */
  readonly heapLimitBytes?: number;
  /** Child process id (`process`) or thread id (`worker`). */
  readonly pid?: number;
  readonly threadId?: number;
  /** Epoch ms of the last heartbeat from the plugin side. */
  readonly lastHeartbeatAt?: number;
}

/** One loaded plugin, whatever runs it. The manager drives it; the runtime hides the boundary. */
export interface PluginInstance {
  readonly kind: PluginIsolation;
  /** True when the plugin's definition has this hook. */
  has(hook: PluginHookName | 'health'): boolean;
  /** Calls a hook within `options.timeoutMs`; rejects with the plugin's error or a timeout. */
  call(hook: PluginHookName, options: RuntimeCallOptions): Promise<void>;
  /** Runs the plugin's `health` hook (a plugin without one is `pass`). */
  health(options: RuntimeCallOptions): Promise<HealthCheckResult>;
  /** Aborts the plugin's `ctx.signal`, as the host does before calling `stop`. */
  abort(reason: string): void;
  /** Releases the instance: terminates the worker or process. Idempotent. */
  dispose(): Promise<void>;
  /** Called once when the instance dies by itself (crash, hang, out of memory, exit). */
  onExit(listener: (exit: RuntimeExit) => void): Disposer;
  stats(): RuntimeStats;
}

/** Loads plugins into one kind of isolation. */
export interface PluginRuntime {
  readonly kind: PluginIsolation;
  /**
   * Loads the plugin's code and prepares its context. `context` is the host-side scoped context
   * (permission-gated container, labelled logger and metrics): inline plugins get it as is;
   * isolated plugins reach it through proxies.
   * @throws `PLUGIN_LOAD_FAILED` / `PLUGIN_RUNTIME_START_FAILED` when the code cannot be loaded.
   */
  load(spec: RuntimePluginSpec, context: PluginContext): Promise<PluginInstance>;
  /** Releases what the runtime keeps between loads (a warm standby worker); optional. */
  dispose?(): Promise<void>;
  /** Releases what the runtime keeps for one plugin's next load (its spare process); optional. */
  release?(plugin: string): Promise<void>;
}
