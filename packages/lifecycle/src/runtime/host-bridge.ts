import {
  type Cache,
  type Disposer,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpRouter,
  type Logger,
  type Metrics,
  type PluginContext,
  tokenName,
} from '@trellis/core';
import { PluginPermissionDeniedError } from '../errors.js';
import {
  isGranted,
  requiredPermission,
  type ServicePermissionRules,
} from '../permissions/permission-rules.js';
import { HOST_METHODS, type LoadRequest } from './child/protocol.js';
import type { RpcChannel } from './child/rpc-channel.js';
import { currentTraceparent, runWithTraceparent } from './child/trace-context.js';
import { toWireError } from './child/wire-error.js';

/** Options of {@link HostBridge}. */
export interface HostBridgeOptions {
  readonly plugin: string;
  readonly channel: RpcChannel;
  /** The host-side plugin context every call lands on. */
  readonly context: PluginContext;
  readonly granted: readonly string[];
  readonly rules: ServicePermissionRules;
}

const LOG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const METRIC_OPS: Readonly<Record<string, ReadonlySet<string>>> = {
  counter: new Set(['inc']),
  gauge: new Set(['set', 'inc', 'dec']),
  histogram: new Set(['observe']),
};
const CACHE_OPS: ReadonlySet<string> = new Set(['get', 'set', 'delete', 'getOrSet', 'invalidateTags']);
// Views are cached by their key so a chatty plugin does not create one per record.
const MAX_VIEWS = 256;

/**
 * The host half of an isolated plugin's context: serves what the plugin side asks for on the
 * host-side `context` (logger, metrics, cache, event bus, HTTP router, any granted service).
 * Plugin code is untrusted, so every argument is checked and every service is permission-checked
 * again here, whatever the plugin side checked. Routes and subscriptions it made are undone by
 * {@link HostBridge.dispose}, so a dead worker or process leaves nothing behind on the host.
 */
export class HostBridge {
  readonly #options: HostBridgeOptions;
  readonly #routes = new Map<number, Disposer>();
  readonly #subscriptions = new Map<number, Disposer>();
  readonly #loggers = new Map<string, Logger>();
  readonly #metrics = new Map<string, Metrics>();
  #nextId = 1;
  #router: HttpRouter | undefined;
  #disposed = false;

  constructor(options: HostBridgeOptions) {
    this.#options = options;
    this.#serve(options.channel);
  }

  /** What the plugin side needs to hand out `HTTP_ROUTER` synchronously, sent with `load`. */
  routerInfo(): LoadRequest['router'] {
    if (!this.#allowed(tokenName(HTTP_ROUTER))) return undefined;
    try {
      return { basePath: this.#hostRouter().basePath };
    } catch (error) {
      return { error: toWireError(error) };
    }
  }

  /** Removes every route and subscription the plugin made; later requests for them are refused. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const disposer of [...this.#routes.values(), ...this.#subscriptions.values()]) {
      try {
        disposer.dispose();
      } catch (error) {
        this.#options.context.logger.warn(
          { err: error },
          'Removing a route or subscription of the plugin failed',
        );
      }
    }
    this.#routes.clear();
    this.#subscriptions.clear();
  }

  #serve(channel: RpcChannel): void {
    const { context } = this.#options;
    channel.handle(HOST_METHODS.log, ([level, bindings, fields, message]) => {
      if (typeof level !== 'string' || !LOG_LEVELS.has(level))
        throw new TypeError(`Unknown log level ${String(level)}.`);
      const logger = this.#loggerFor(record(bindings)) as unknown as Record<
        string,
        (...args: unknown[]) => void
      >;
      const text = typeof message === 'string' ? message : undefined;
      if (typeof fields === 'object' && fields !== null) logger[level]?.(fields, text);
      else logger[level]?.(text ?? '');
    });
    channel.handle(HOST_METHODS.metric, ([labels, kind, options, op, args]) => {
      const ops = typeof kind === 'string' && Object.hasOwn(METRIC_OPS, kind) ? METRIC_OPS[kind] : undefined;
      if (ops === undefined || typeof op !== 'string' || !ops.has(op)) {
        throw new TypeError(`Unknown metric operation ${String(kind)}.${String(op)}.`);
      }
      const metrics = this.#metricsFor(record(labels)) as unknown as Record<string, (o: unknown) => unknown>;
      const metric = metrics[kind as string]?.(options) as Record<string, (...a: unknown[]) => unknown>;
      metric[op]?.(...(Array.isArray(args) ? args : []));
    });
    channel.handle(HOST_METHODS.cache, ([prefixes, op, args]) => {
      if (typeof op !== 'string' || !CACHE_OPS.has(op))
        throw new TypeError(`Unknown cache operation ${String(op)}.`);
      let cache: Cache = context.cache;
      for (const prefix of strings(prefixes)) cache = cache.namespace(prefix);
      const method = (cache as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
      return method?.apply(cache, Array.isArray(args) ? args : []);
    });
    channel.handle(HOST_METHODS.emit, ([event, payload]) => {
      context.events.emit(eventName(event) as never, payload as never);
    });
    channel.handle(HOST_METHODS.emitAsync, ([event, payload]) =>
      context.events.emitAsync(eventName(event) as never, payload as never),
    );
    channel.handle(HOST_METHODS.subscribe, ([event, listener, once]) => {
      const name = eventName(event) as never;
      const fn = callable(listener, 'listener');
      const disposer = once === true ? context.events.once(name, fn) : context.events.on(name, fn);
      return this.#keep(this.#subscriptions, disposer);
    });
    channel.handle(HOST_METHODS.unsubscribe, ([id]) => this.#drop(this.#subscriptions, id));
    channel.handle(HOST_METHODS.route, ([prefixes, method, path, handler]) => {
      this.#check(tokenName(HTTP_ROUTER));
      let router = this.#hostRouter();
      for (const prefix of strings(prefixes)) router = router.scope(prefix);
      const invoke = callable(handler, 'handler');
      const disposer = router.route({
        method: method as never,
        path: path as string,
        handler: (request: HttpRequest) =>
          runWithTraceparent(headerValue(request.headers, 'traceparent') ?? currentTraceparent(), () =>
            invoke(plainRequest(request)),
          ) as never,
      });
      return this.#keep(this.#routes, disposer);
    });
    channel.handle(HOST_METHODS.unroute, ([id]) => this.#drop(this.#routes, id));
    channel.handle(HOST_METHODS.denied, ([key]) => {
      // The plugin side refused a resolve. Asking the host-side context for the same token lets
      // its permission gate see (and report) the denial; the service itself is never handed out.
      if (typeof key !== 'string' || this.#allowed(key)) return;
      try {
        context.resolve(Symbol.for(key));
      } catch {
        // Expected: the gate refuses, or nothing provides the token.
      }
    });
    channel.handle(HOST_METHODS.service, ([key, method, args]) => {
      if (typeof key !== 'string' || typeof method !== 'string')
        throw new TypeError('service needs a token key and a method.');
      this.#check(key);
      const service = context.resolve(Symbol.for(key)) as Record<string, unknown>;
      const fn = service[method];
      if (typeof fn !== 'function' || method === 'constructor') {
        throw new TypeError(`Service ${key} has no method "${method}".`);
      }
      return Reflect.apply(fn, service, Array.isArray(args) ? args : []);
    });
  }

  #allowed(key: string): boolean {
    const permission = requiredPermission(key, this.#options.rules);
    return permission === null || isGranted(permission, this.#options.granted);
  }

  #check(key: string): void {
    const permission = requiredPermission(key, this.#options.rules);
    if (permission !== null && !isGranted(permission, this.#options.granted)) {
      throw new PluginPermissionDeniedError(this.#options.plugin, key, permission);
    }
  }

  #hostRouter(): HttpRouter {
    this.#router ??= this.#options.context.resolve(HTTP_ROUTER);
    return this.#router;
  }

  #keep(map: Map<number, Disposer>, disposer: Disposer): number {
    if (this.#disposed) {
      disposer.dispose();
      throw new Error('The plugin is being disposed.');
    }
    const id = this.#nextId++;
    map.set(id, disposer);
    return id;
  }

  #drop(map: Map<number, Disposer>, id: unknown): void {
    if (typeof id !== 'number') return;
    map.get(id)?.dispose();
    map.delete(id);
  }

  #loggerFor(bindings: Record<string, unknown>): Logger {
    const base = this.#options.context.logger;
    if (Object.keys(bindings).length === 0) return base;
    return cachedView(this.#loggers, bindings, () => base.child(bindings));
  }

  #metricsFor(labels: Record<string, unknown>): Metrics {
    const base = this.#options.context.metrics;
    if (Object.keys(labels).length === 0) return base;
    return cachedView(this.#metrics, labels, () =>
      base.withLabels(labels as Record<string, string | number>),
    );
  }
}

function cachedView<T>(views: Map<string, T>, key: object, create: () => T): T {
  let id: string;
  try {
    id = JSON.stringify(key);
  } catch {
    return create();
  }
  let view = views.get(id);
  if (view === undefined) {
    if (views.size >= MAX_VIEWS) views.clear();
    view = create();
    views.set(id, view);
  }
  return view;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function eventName(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('An event name must be a string.');
  return value;
}

function callable(value: unknown, what: string): (...args: unknown[]) => Promise<unknown> {
  if (typeof value !== 'function') throw new TypeError(`The ${what} must be a function.`);
  return value as (...args: unknown[]) => Promise<unknown>;
}

function headerValue(headers: HttpRequest['headers'] | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

// Framework request objects carry sockets and methods; only the contract's fields cross.
function plainRequest(request: HttpRequest): HttpRequest {
  return {
    method: request.method,
    url: request.url,
    params: { ...request.params },
    query: { ...request.query },
    headers: { ...request.headers },
    body: request.body,
  };
}
