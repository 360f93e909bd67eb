// The host side of the boundary benches: a platform with an HTTP router that has no server, so a
// route's handler can be invoked directly, without URL matching or sockets in the measurement.
import {
  createPlatform,
  createPluginContext,
  type Disposer,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpResponse,
  type HttpRoute,
  type HttpRouter,
  type Platform,
  type PluginContext,
  type PluginManifest,
  toDisposer,
} from '@trellis/core';

type Handler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** An {@link HttpRouter} that only records handlers by `METHOD /full/path`. */
export class BenchRouter implements HttpRouter {
  readonly basePath: string;
  readonly #handlers: Map<string, Handler>;

  constructor(basePath = '', handlers = new Map<string, Handler>()) {
    this.basePath = basePath;
    this.#handlers = handlers;
  }

  route(route: HttpRoute): Disposer {
    const key = `${route.method} ${this.basePath}${route.path}`;
    this.#handlers.set(key, route.handler as Handler);
    return toDisposer(() => this.#handlers.delete(key));
  }

  scope(prefix: string): HttpRouter {
    return new BenchRouter(this.basePath + prefix, this.#handlers);
  }

  /** The handler served at `method` `path` (full path, e.g. `GET /ping`). */
  handler(method: string, path: string): Handler {
    const handler = this.#handlers.get(`${method} ${path}`);
    if (handler === undefined) throw new Error(`no route ${method} ${path}: ${[...this.#handlers.keys()]}`);
    return handler;
  }
}

/** A silent platform whose container provides a {@link BenchRouter} as `HTTP_ROUTER`. */
export interface BenchHost {
  readonly platform: Platform;
  readonly router: BenchRouter;
}

/** Builds a {@link BenchHost}. */
export function createBenchHost(): BenchHost {
  const platform = createPlatform({ logLevel: 'silent' });
  const router = new BenchRouter();
  platform.container.register(HTTP_ROUTER, { useValue: router });
  return { platform, router };
}

/** A plugin context on `host`, as a runtime receives it from the manager (without the permission gate). */
export function benchContext(host: BenchHost, manifest: PluginManifest, config: unknown = {}): PluginContext {
  return createPluginContext({
    parent: host.platform.container,
    manifest,
    config,
    signal: new AbortController().signal,
  });
}

/** A GET request for `url` with `params`, as a router hands it to a handler. */
export function getRequest(url: string, params: Record<string, string> = {}): HttpRequest {
  return { method: 'GET', url, params, query: {}, headers: {}, body: undefined };
}
