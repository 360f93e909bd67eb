import { defineModule, HTTP_ROUTER, type TrellisModule } from '@trellis/core';
import type { FastifyInstance } from 'fastify';
import { FastifyHttpRouter } from './fastify-http-router.js';

/**
 * Provides `HTTP_ROUTER` over `server`, so plugins can serve routes. Registering only: the
 * server listens later, in {@link createHttpServerModule}, once every plugin has set up.
 */
export function createHttpModule(server: FastifyInstance): TrellisModule {
  return defineModule({
    name: 'http-router',
    provides: [HTTP_ROUTER],
    register: (container) => container.register(HTTP_ROUTER, { useValue: FastifyHttpRouter.create(server) }),
  });
}
