import {
  type Disposer,
  describeError,
  type HealthCheckResult,
  type PluginContext,
  toDisposer,
  toHealthCheckResult,
} from '@trellis/core';
import {
  PluginHookTimeoutError,
  PluginRuntimeExitedError,
  RuntimeCallTimeoutError,
  RuntimeStartError,
} from '../errors.js';
import type { ServicePermissionRules } from '../permissions/permission-rules.js';
import { HOST_METHODS, type LoadRequest, type LoadResponse, PLUGIN_METHODS } from './child/protocol.js';
import { RpcChannel } from './child/rpc-channel.js';
import type { ChildEnd, ChildHandle } from './child-handle.js';
import { failedHealth } from './health-result.js';
import { HeartbeatMonitor } from './heartbeat-monitor.js';
import { hookError } from './hook-error.js';
import { HostBridge } from './host-bridge.js';
import type {
  PluginHookName,
  PluginInstance,
  RuntimeCallOptions,
  RuntimeExit,
  RuntimePluginSpec,
  RuntimeStats,
} from './plugin-runtime.js';
import { rebuildRemoteError } from './remote-error.js';

/** Timing options shared by the worker and process runtimes. */
export interface IsolationTimings {
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly loadTimeoutMs: number;
  readonly callTimeoutMs: number;
}

/** Everything {@link loadIsolatedPlugin} needs. */
export interface IsolatedLoadOptions extends IsolationTimings {
  readonly spec: RuntimePluginSpec;
  readonly context: PluginContext;
  readonly handle: ChildHandle;
  readonly rules: ServicePermissionRules;
}

/**
 * Loads the plugin in a started worker or child process and returns its instance. On any
 * failure the child is terminated and the error is a `PLUGIN_RUNTIME_START_FAILED` naming why
 * (an import error, a config error, the child dying or not answering within `loadTimeoutMs`).
 */
export async function loadIsolatedPlugin(options: IsolatedLoadOptions): Promise<PluginInstance> {
  const instance = new IsolatedPluginInstance(options);
  await instance.load();
  return instance;
}

/**
 * A plugin running in a worker thread or child process. Calls cross as messages; heartbeats
 * prove the plugin's event loop turns; when the child ends without being asked, pending calls
 * reject with `PLUGIN_RUNTIME_EXITED`, host-side routes and subscriptions are removed and the
 * exit listeners hear why, once.
 */
class IsolatedPluginInstance implements PluginInstance {
  readonly kind: 'worker' | 'process';
  readonly #options: IsolatedLoadOptions;
  readonly #name: string;
  readonly #channel: RpcChannel;
  readonly #bridge: HostBridge;
  readonly #monitor: HeartbeatMonitor;
  readonly #exitListeners = new Set<(exit: RuntimeExit) => void>();
  #hooks: ReadonlySet<string> = new Set();
  #loaded = false;
  #hung = false;
  #silentForMs = 0;
  #disposing: Promise<void> | undefined;
  #closedWith: PluginRuntimeExitedError | undefined;
  #exit: RuntimeExit | undefined;
  #lastHeartbeatAt: number | undefined;
  #heapUsedBytes: number | undefined;
  #heapLimitBytes: number | undefined;

  constructor(options: IsolatedLoadOptions) {
    this.#options = options;
    this.kind = options.handle.kind;
    this.#name = options.spec.manifest.name;
    const { handle, context } = options;
    this.#channel = new RpcChannel({
      send: (message) => handle.send(message),
      callTimeoutMs: options.callTimeoutMs,
      timeoutError: (method, ms) => new RuntimeCallTimeoutError(this.#name, method, ms),
      rebuildError: rebuildRemoteError,
      onProblem: (error, method) =>
        context.logger.warn(
          { err: error, method },
          `A message from plugin "${this.#name}" could not be handled`,
        ),
    });
    this.#channel.handle(HOST_METHODS.heartbeat, ([at, heap, limit]) => {
      this.#monitor.beat();
      if (typeof at === 'number') this.#lastHeartbeatAt = at;
      if (typeof heap === 'number') this.#heapUsedBytes = heap;
      if (typeof limit === 'number') this.#heapLimitBytes = limit;
    });
    this.#bridge = new HostBridge({
      plugin: this.#name,
      channel: this.#channel,
      context,
      granted: options.spec.granted,
      rules: options.rules,
    });
    this.#monitor = new HeartbeatMonitor({
      timeoutMs: options.heartbeatTimeoutMs,
      checkEveryMs: Math.max(10, Math.min(options.heartbeatIntervalMs, options.heartbeatTimeoutMs / 4)),
      onMissed: (silentFor) => {
        this.#hung = true;
        this.#silentForMs = silentFor;
        void handle.terminate(true);
      },
    });
    handle.onMessage((message) => this.#channel.receive(message));
    handle.onEnd((end) => this.#ended(end));
  }

  /** Sends `load` and waits for the plugin side to import and configure the plugin. */
  async load(): Promise<void> {
    const { spec, context, loadTimeoutMs } = this.#options;
    const request: LoadRequest = {
      manifest: spec.manifest as unknown as LoadRequest['manifest'],
      dir: spec.dir,
      entry: spec.entry,
      config: spec.config,
      granted: spec.granted,
      ...(spec.dataDir === undefined ? {} : { dataDir: spec.dataDir }),
      rules: this.#options.rules,
      heartbeatIntervalMs: this.#options.heartbeatIntervalMs,
      callTimeoutMs: this.#options.callTimeoutMs,
      logLevel: context.logger.level,
      router: this.#bridge.routerInfo(),
    };
    try {
      const response = (await this.#channel.call(PLUGIN_METHODS.load, [request], {
        timeoutMs: loadTimeoutMs,
        timeoutError: () =>
          new RuntimeStartError(this.#name, this.kind, `it did not load within ${loadTimeoutMs} ms`),
        functions: 'drop',
      })) as LoadResponse;
      this.#hooks = new Set(response.hooks);
    } catch (error) {
      await this.dispose();
      if (error instanceof RuntimeStartError) throw error;
      throw new RuntimeStartError(this.#name, this.kind, describeError(error), error);
    }
    this.#loaded = true;
    this.#monitor.start();
  }

  has(hook: PluginHookName | 'health'): boolean {
    return this.#hooks.has(hook);
  }

  async call(hook: PluginHookName, options: RuntimeCallOptions): Promise<void> {
    if (!this.#hooks.has(hook)) return;
    try {
      await this.#channel.call(PLUGIN_METHODS.hook, [hook], this.#deadline(hook, options));
    } catch (error) {
      throw hookError(this.#name, hook, error);
    }
  }

  async health(options: RuntimeCallOptions): Promise<HealthCheckResult> {
    // A dead plugin is not healthy, whether or not it has a health hook.
    if (this.#closedWith !== undefined) return failedHealth(this.#closedWith);
    if (!this.#hooks.has('health')) return { status: 'pass' };
    try {
      return toHealthCheckResult(
        await this.#channel.call(PLUGIN_METHODS.health, [], this.#deadline('health', options)),
      );
    } catch (error) {
      // A timeout or a dead plugin is a failed check, as is a throw.
      return failedHealth(error);
    }
  }

  abort(reason: string): void {
    if (this.#channel.closed) return;
    try {
      this.#channel.notify(PLUGIN_METHODS.abort, [reason]);
    } catch {
      // The child is going away; its signal no longer matters.
    }
  }

  dispose(): Promise<void> {
    if (this.#disposing === undefined) {
      this.#monitor.stop();
      this.#bridge.dispose();
      if (this.#exit === undefined) {
        this.#close(
          new PluginRuntimeExitedError(this.#name, this.kind, 'killed', 'the plugin instance was disposed'),
        );
      }
      this.#disposing = this.#options.handle.terminate();
    }
    return this.#disposing;
  }

  onExit(listener: (exit: RuntimeExit) => void): Disposer {
    const exit = this.#exit;
    if (exit !== undefined && this.#disposing === undefined) {
      // Registered after the fact: still told, but never synchronously inside onExit().
      queueMicrotask(() => listener(exit));
      return toDisposer(() => {});
    }
    this.#exitListeners.add(listener);
    return toDisposer(() => this.#exitListeners.delete(listener));
  }

  stats(): RuntimeStats {
    const { pid, threadId } = this.#options.handle;
    return {
      kind: this.kind,
      ...(pid === undefined ? {} : { pid }),
      ...(threadId === undefined ? {} : { threadId }),
      ...(this.#heapUsedBytes === undefined ? {} : { heapUsedBytes: this.#heapUsedBytes }),
      ...(this.#heapLimitBytes === undefined ? {} : { heapLimitBytes: this.#heapLimitBytes }),
      ...(this.#lastHeartbeatAt === undefined ? {} : { lastHeartbeatAt: this.#lastHeartbeatAt }),
    };
  }

  #deadline(hook: string, options: RuntimeCallOptions) {
    return {
      timeoutMs: options.timeoutMs,
      timeoutError: () => new PluginHookTimeoutError(this.#name, hook, options.timeoutMs),
      traceparent: options.traceparent,
    };
  }

  #close(error: PluginRuntimeExitedError): void {
    this.#closedWith ??= error;
    this.#channel.close(error);
  }

  #ended(end: ChildEnd): void {
    if (this.#exit !== undefined) return;
    this.#monitor.stop();
    this.#bridge.dispose();
    const exit: RuntimeExit = this.#hung
      ? {
          reason: 'hang',
          detail: `no heartbeat for ${Math.round(this.#silentForMs)} ms (limit ${this.#options.heartbeatTimeoutMs} ms)`,
        }
      : { reason: end.reason, ...(end.code === undefined ? {} : { code: end.code }), detail: end.detail };
    this.#exit = exit;
    this.#close(new PluginRuntimeExitedError(this.#name, this.kind, exit.reason, exit.detail));
    if (this.#disposing !== undefined || !this.#loaded) return;
    const listeners = [...this.#exitListeners];
    this.#exitListeners.clear();
    for (const listener of listeners) {
      try {
        listener(exit);
      } catch (error) {
        this.#options.context.logger.error({ err: error }, 'An onExit listener threw');
      }
    }
  }
}
