import { type Disposer, type HttpRequest, type HttpRoute, type HttpRouter, toDisposer } from '@trellis/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpRouteAfterListenError, HttpRouteConflictError } from '../errors.js';

type Handler = HttpRoute['handler'];

/**
 * The routes of one Fastify server, shared by every scope. Fastify cannot remove a route, so
 * each method + URL is registered once and dispatches to whichever handler currently owns it:
 * a disposed route answers 404, and a restarted plugin can take its URL again.
 */
class RouteTable {
  readonly #handlers = new Map<string, Handler | undefined>();

  constructor(private readonly server: FastifyInstance) {}

  add(method: string, url: string, handler: Handler): Disposer {
    const key = `${method} ${url}`;
    if (this.#handlers.get(key)) throw new HttpRouteConflictError(method, url);
    if (!this.#handlers.has(key)) this.#register(method, url, key);
    this.#handlers.set(key, handler);
    return toDisposer(() => {
      if (this.#handlers.get(key) === handler) this.#handlers.set(key, undefined);
    });
  }

  #register(method: string, url: string, key: string): void {
    try {
      this.server.route({
        method,
        url,
        handler: (request, reply) => this.#dispatch(key, request, reply),
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_ERR_INSTANCE_ALREADY_LISTENING') {
        throw new HttpRouteAfterListenError(method, url);
      }
      throw error;
    }
  }

  async #dispatch(key: string, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const handler = this.#handlers.get(key);
    if (!handler) {
      return reply
        .code(404)
        .send({ error: { code: 'ROUTE_NOT_FOUND', message: `${key} is not served now.` } });
    }
    const response = await handler(toHttpRequest(request));
    reply.code(response.status ?? 200);
    if (response.headers) reply.headers(response.headers);
    return reply.send(response.body ?? null);
  }
}

function toHttpRequest(request: FastifyRequest): HttpRequest {
  return {
    method: request.method,
    url: request.url,
    params: (request.params ?? {}) as Record<string, string>,
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

  /** Creates the root router of `server`. */
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
}
