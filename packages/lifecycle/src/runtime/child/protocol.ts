// The messages both sides of a worker or process boundary exchange. Everything here must survive
// structured cloning (worker `postMessage`, `child_process` with `serialization: 'advanced'`).
// This folder runs inside isolated plugins, so it imports nothing but Node builtins.

/** An error as it crosses the boundary; rebuilt on the other side with the same fields. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly fix?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly stack?: string;
}

/** Asks the other side to run `method`; answered by a {@link ResultMessage} with the same `id`. */
export interface CallMessage {
  readonly t: 'call';
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
  /** W3C trace context of the span the call belongs to. */
  readonly traceparent?: string;
}

/** Fire-and-forget: runs `method` on the other side, nobody waits for an answer. */
export interface NotifyMessage {
  readonly t: 'notify';
  readonly method: string;
  readonly args: readonly unknown[];
  readonly traceparent?: string;
}

/** The answer to a {@link CallMessage}. */
export type ResultMessage =
  | { readonly t: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'result'; readonly id: number; readonly ok: false; readonly error: WireError };

/** Every message of the protocol. */
export type ChannelMessage = CallMessage | NotifyMessage | ResultMessage;

/** Methods the plugin side serves to the host. */
export const PLUGIN_METHODS = {
  load: 'load',
  hook: 'hook',
  health: 'health',
  abort: 'abort',
} as const;

/** Methods the host serves to the plugin side. */
export const HOST_METHODS = {
  heartbeat: 'heartbeat',
  crash: 'crash',
  log: 'log',
  metric: 'metric',
  cache: 'cache',
  emit: 'events.emit',
  emitAsync: 'events.emitAsync',
  subscribe: 'events.on',
  unsubscribe: 'events.off',
  route: 'router.route',
  unroute: 'router.unroute',
  service: 'service',
  denied: 'denied',
} as const;

/** Methods both sides serve: calling and releasing each other's callbacks. */
export const CALLBACK_METHODS = { invoke: 'fn', release: 'release' } as const;

/** What the host sends with `load`: everything the plugin side needs to build the context. */
export interface LoadRequest {
  readonly manifest: { readonly name: string; readonly version: string } & Readonly<Record<string, unknown>>;
  readonly dir: string;
  /** Absolute entry file. */
  readonly entry: string;
  /** Raw config slice; parsed on the plugin side with the plugin's own `configSchema`. */
  readonly config: unknown;
  readonly granted: readonly string[];
  /** The plugin's data folder, when the host gives it one (`ctx.dataDir`). */
  readonly dataDir?: string;
  /** Token key → permission (`null`: free), the host's rules, so denials match the host's. */
  readonly rules: Readonly<Record<string, string | null>>;
  readonly heartbeatIntervalMs: number;
  readonly callTimeoutMs: number;
  /** The host logger's level, so records below it are not sent at all. */
  readonly logLevel: string;
  /** The host router's base path when `http:route` is granted; a wire error when it cannot be had. */
  readonly router?: { readonly basePath: string } | { readonly error: WireError };
}

/** What the plugin side answers to `load`. */
export interface LoadResponse {
  /** The hooks the plugin's definition has. */
  readonly hooks: readonly string[];
  /** How long importing the entry took, in ms. */
  readonly importMs: number;
}

/** The shape of a function crossing the boundary: a reference into the sender's callback table. */
export interface CallbackRef {
  readonly $fn: number;
}
