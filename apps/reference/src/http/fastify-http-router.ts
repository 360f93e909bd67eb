import { type Disposer, type HttpRequest, type HttpRoute, type HttpRouter, toDisposer } from '@trellis/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { HttpRouteConflictError } from '../errors.js';

type Handler = HttpRoute['handler'];
type Method = HttpRoute['method'];

const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Called for a request no route matches, before answering 404; resolves true when it made a route
 * appear (a lazy plugin activated by the request's path), so the request is matched again.
 */
export type UnmatchedRouteHook = (method: string, path: string) => Promise<boolean>;

/**
 * The plugin routes of one Fastify server. Fastify's own router is fixed once the server listens,
 * so plugin routes live in a find-my-way router of their own behind one catch-all Fastify route:
 * routes can be added and removed at any time, which lazy activation and hot reload need. Routes
 * Fastify serves itself (`/health`) are static and match first.
 */
class RouteTable {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  #unmatched: UnmatchedRouteHook | undefined;

  constructor(server: FastifyInstance) {
    server.route({
      method: [...METHODS],
      url: '/*',
      handler: (request, reply) => this.#dispatch(request, reply),
    });
  }

  add(method: Method, url: string, handler: Handler): Disposer {
    if (this.#router.hasRoute(method, url)) throw new HttpRouteConflictError(method, url);
    this.#router.on(method, url, () => undefined, { handler });
    return toDisposer(() => this.#router.off(method, url));
  }

  onUnmatched(hook: UnmatchedRouteHook): void {
    this.#unmatched = hook;
  }

  async #dispatch(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const method = request.method as Method;
    const path = request.url.split('?', 1)[0] ?? '/';
    let found = this.#router.find(method, path);
    if (!found && this.#unmatched && (await this.#unmatched(method, path)))
      found = this.#router.find(method, path);
    if (!found) {
      return reply
        .code(404)
        .send({ error: { code: 'ROUTE_NOT_FOUND', message: `${request.method} ${path} is not served.` } });
    }
    const { handler } = found.store as { handler: Handler };
    const response = await handler(toHttpRequest(request, found.params));
    reply.code(response.status ?? 200);
    if (response.headers) reply.headers(response.headers);
    return reply.send(response.body ?? null);
  }
}

function toHttpRequest(
  request: FastifyRequest,
  params: Readonly<Record<string, string | undefined>>,
): HttpRequest {
  return {
    method: request.method,
    url: request.url,
    params: Object.fromEntries(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    query: (request.query ?? {}) as Record<string, string | string[] | undefined>,
    headers: request.headers,
    body: request.body,
  };
}

function joinPath(base: string, path: string): string {
  const joined = `${base}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/** An {@link HttpRouter} over a Fastify server; `scope()` gives each plugin its own prefix. */
export class FastifyHttpRouter implements HttpRouter {
  readonly basePath: string;
  readonly #table: RouteTable;

  /** Creates the root router of `server`; call it before the server listens. */
  static create(server: FastifyInstance): FastifyHttpRouter {
    return new FastifyHttpRouter(new RouteTable(server), '');
  }

  private constructor(table: RouteTable, basePath: string) {
    this.#table = table;
    this.basePath = basePath;
  }

  route(route: HttpRoute): Disposer {
    return this.#table.add(route.method, joinPath(this.basePath, route.path) || '/', route.handler);
  }

  scope(prefix: string): FastifyHttpRouter {
    return new FastifyHttpRouter(this.#table, joinPath(this.basePath, prefix));
  }

  /** Sets the hook that may activate a lazy plugin for an unmatched request (one per server). */
  onUnmatched(hook: UnmatchedRouteHook): void {
    this.#table.onUnmatched(hook);
  }
}
