import { getHeapStatistics } from 'node:v8';
import { createIsolatedContext, type IsolatedContext } from './plugin-context.js';
import { importPlugin, type LoadedPlugin, parseConfig } from './plugin-loader.js';
import {
  HOST_METHODS,
  type LoadRequest,
  type LoadResponse,
  PLUGIN_METHODS,
  type WireError,
} from './protocol.js';
import { RpcChannel } from './rpc-channel.js';
import { fromWireError } from './wire-error.js';

const HOOKS = ['setup', 'start', 'stop', 'health'] as const;

/** Until `load` says otherwise; the host always sends its own. */
const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/**
 * The plugin side's channel to the host over `send`: host errors are rebuilt as plain Errors
 * carrying `code`, `fix` and `details`, since this side has no TrellisError.
 */
export function createPluginChannel(send: (message: unknown) => void): RpcChannel {
  return new RpcChannel({
    send,
    callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
    timeoutError(method, timeoutMs) {
      const error = new Error(`The host did not answer ${method} within ${timeoutMs} ms.`) as Error & {
        code: string;
      };
      error.code = 'PLUGIN_RUNTIME_CALL_TIMEOUT';
      return error;
    },
    rebuildError: (wire: WireError) => fromWireError(wire),
  });
}

/**
 * Serves the host's calls for one plugin on this side of the boundary: `load` (import the entry,
 * parse the config with the plugin's own schema, build the context, start heartbeats), the hooks,
 * `health`, and `abort`. `stop` aborts `ctx.signal` first if the host has not already.
 */
export function servePlugin(channel: RpcChannel): void {
  let loaded: { readonly plugin: LoadedPlugin; readonly isolated: IsolatedContext } | undefined;
  const current = () => {
    if (loaded === undefined) throw new Error('The plugin is not loaded yet.');
    return loaded;
  };

  channel.handle(PLUGIN_METHODS.load, async ([raw]): Promise<LoadResponse> => {
    if (loaded !== undefined) throw new Error('The plugin is already loaded.');
    const request = raw as LoadRequest;
    channel.callTimeoutMs = request.callTimeoutMs;
    startHeartbeats(channel, request.heartbeatIntervalMs);
    const started = performance.now();
    const plugin = await importPlugin(request.entry);
    const importMs = performance.now() - started;
    const config = parseConfig(request.manifest.name, plugin, request.config);
    loaded = { plugin, isolated: createIsolatedContext(channel, request, config) };
    return { hooks: HOOKS.filter((hook) => typeof plugin[hook] === 'function'), importMs };
  });

  channel.handle(PLUGIN_METHODS.hook, async ([name]) => {
    const { plugin, isolated } = current();
    if (name === 'stop' && !isolated.controller.signal.aborted) isolated.controller.abort('plugin stopping');
    const hook = plugin[String(name)];
    if (!HOOKS.includes(name as never) || name === 'health' || typeof hook !== 'function') return;
    await isolated.pending.runHook(() => hook.call(plugin, isolated.context));
  });

  channel.handle(PLUGIN_METHODS.health, async () => {
    const { plugin, isolated } = current();
    const health = plugin.health;
    if (typeof health !== 'function') return 'pass';
    return await health.call(plugin, isolated.context);
  });

  channel.handle(PLUGIN_METHODS.abort, ([reason]) => {
    const controller = loaded?.isolated.controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(reason);
  });
}

// Heartbeats run on the plugin's own event loop: a plugin that blocks it stops them, which is
// how the host tells a hang. Unref'd, so they never keep a finished child alive by themselves.
function startHeartbeats(channel: RpcChannel, intervalMs: number): void {
  const beat = () => {
    const heap = getHeapStatistics();
    channel.notify(HOST_METHODS.heartbeat, [Date.now(), heap.used_heap_size, heap.heap_size_limit]);
  };
  beat();
  setInterval(beat, intervalMs).unref();
}
