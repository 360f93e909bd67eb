import { defineModule, HEALTH_REGISTRY, type TrellisModule } from '@trellis/core';
import type { FastifyInstance } from 'fastify';
import { PLUGIN_HOST } from '../tokens.js';
import { registerHealthRoutes } from './health-routes.js';

/** Where the server listens. */
export interface HttpServerOptions {
  readonly host: string;
  /** `0` picks a free port; read it from `server.server.address()`. */
  readonly port: number;
  /** How long in-flight requests may take to finish on shutdown; default 10,000 ms. */
  readonly drainTimeoutMs?: number;
}

/**
 * Listens once plugins have started (it depends on the plugin host), and, because stop runs in
 * reverse, closes first on shutdown: new connections are refused and in-flight requests finish
 * before any plugin stops.
 */
export function createHttpServerModule(server: FastifyInstance, options: HttpServerOptions): TrellisModule {
  let closing = false;
  return defineModule({
    name: 'http-server',
    dependsOn: [PLUGIN_HOST, HEALTH_REGISTRY],
    // Closing waits for in-flight requests: this is the drain budget, before plugins stop.
    stopTimeoutMs: options.drainTimeoutMs ?? 10_000,
    register: () => {},
    async start(ctx) {
      registerHealthRoutes(server, ctx.resolve(HEALTH_REGISTRY));
      server.setNotFoundHandler((request, reply) =>
        reply.code(404).send({
          error: { code: 'ROUTE_NOT_FOUND', message: `${request.method} ${request.url} is not served.` },
        }),
      );
      // While closing, tell keep-alive clients to hang up after their response. Without it a busy
      // keep-alive socket stays open until Node's keepAliveTimeout and close() waits that long.
      server.addHook('onSend', async (_request, reply, payload) => {
        if (closing) reply.header('connection', 'close');
        return payload;
      });
      await server.listen({ host: options.host, port: options.port });
      ctx.logger.info({ address: server.server.address() }, 'http server listening');
    },
    async stop() {
      closing = true;
      await server.close();
    },
  });
}
