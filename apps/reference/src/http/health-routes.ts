import type { HealthProbe, HealthRegistry } from '@trellis/core';
import type { FastifyInstance } from 'fastify';

/**
 * Health endpoints with Kubernetes semantics, each answering the aggregate report: 200 while
 * serving (`pass` or `warn`), 503 on `fail`.
 *
 * - `GET /health/live`: liveness — is the process worth keeping (restart it when this fails).
 * - `GET /health/ready`: readiness — should it get traffic now; critical plugins gate it, others
 *   degrade it; `fail` with reason `starting` until the startup checks have passed.
 * - `GET /health/startup`: startup — has it finished starting.
 * - `GET /health`: every check, for people and dashboards.
 */
export function registerHealthRoutes(server: FastifyInstance, registry: HealthRegistry): void {
  const route = (path: string, probe?: HealthProbe) =>
    server.get(path, async (_request, reply) => {
      const report = await registry.check(probe);
      return reply.code(report.status === 'fail' ? 503 : 200).send(report);
    });
  route('/health');
  route('/health/live', 'liveness');
  route('/health/ready', 'readiness');
  route('/health/startup', 'startup');
}
