import type { Disposer } from '../disposer.js';

/** HTTP methods a plugin route may answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A framework-neutral view of one request. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: unknown;
}

/** What a handler returns; `body` is sent as JSON unless it is a string or Buffer. */
export interface HttpResponse {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One route: `path` is relative to the router's {@link HttpRouter.basePath} (`/greet/:name`). */
export interface HttpRoute {
  readonly method: HttpMethod;
  readonly path: string;
  handler(request: HttpRequest): HttpResponse | Promise<HttpResponse>;
}

/**
 * HTTP routes contract (token `HTTP_ROUTER`), provided by the host application, which decides the
 * framework (Fastify in the reference app). A plugin's router is scoped under its own base path.
 */
export interface HttpRouter {
  /** The prefix every route of this router is served under, e.g. `/plugins/hello`. */
  readonly basePath: string;
  /** Serves a route until the returned disposer is called. */
  route(route: HttpRoute): Disposer;
  /** A router whose routes live under `basePath + prefix`; plugin hosts give each plugin one. */
  scope(prefix: string): HttpRouter;
}
