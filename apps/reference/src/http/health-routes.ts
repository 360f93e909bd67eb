import type { HealthRegistry } from '@trellis/core';
import type { FastifyInstance } from 'fastify';

/**
 * `GET /health`: the aggregate health report; 200 while serving (`pass` or `warn`), 503 on
 * `fail`, so load balancers take a failing instance out. `GET /health/live`: 200 while the
 * process answers at all (liveness, for restarts).
 */
export function registerHealthRoutes(server: FastifyInstance, registry: HealthRegistry): void {
  server.get('/health', async (_request, reply) => {
    const report = await registry.check();
    return reply.code(report.status === 'fail' ? 503 : 200).send(report);
  });
  server.get('/health/live', async () => ({ status: 'pass' }));
}
