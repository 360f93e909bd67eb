import { timingSafeEqual } from 'node:crypto';
import type { PluginActor, PluginSummary } from '@trellis/core';
import type { PluginManager } from '@trellis/lifecycle';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link registerAdminRoutes}. */
export interface AdminRoutesOptions {
  /** The running plugin manager, once plugins have booted. */
  readonly manager: () => PluginManager | undefined;
  /** Bearer token every admin request must carry; without one, only loopback clients are served. */
  readonly token?: string;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  PLUGIN_NOT_FOUND: 404,
  PLUGIN_HOOK_VETOED: 409,
  PLUGIN_MANAGER_STATE: 409,
  PLUGIN_ILLEGAL_TRANSITION: 409,
};

/**
 * The admin HTTP API for plugins, the same operations as `trellis plugins` (which calls it with
 * `--url`): `GET /admin/plugins`, `GET /admin/plugins/:name`, and `POST /admin/plugins/:name/start`,
 * `/stop`, `/restart` (body `{ "withDependents": false }` to restart the plugin alone). Every
 * operation is audited with the caller as actor (`admin-api`).
 *
 * Access: with `admin.token` configured, every request needs `Authorization: Bearer <token>`;
 * without it, only clients on the loopback interface are served, so a default install is not
 * operable from the network.
 */
export function registerAdminRoutes(server: FastifyInstance, options: AdminRoutesOptions): void {
  const expected = options.token === undefined ? undefined : Buffer.from(options.token);
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected) {
      const header = request.headers.authorization ?? '';
      const given = Buffer.from(header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return fail(
          reply,
          401,
          'ADMIN_UNAUTHORIZED',
          'Missing or wrong admin token.',
          'Send "Authorization: Bearer <admin.token>".',
        );
      }
    } else if (!isLoopback(request.ip)) {
      return fail(
        reply,
        403,
        'ADMIN_FORBIDDEN',
        'The admin API only serves loopback clients when no admin token is set.',
        'Set admin.token (TRELLIS_ADMIN__TOKEN) to operate it remotely.',
      );
    }
    if (!options.manager()) {
      return fail(
        reply,
        503,
        'PLUGIN_MANAGER_STATE',
        'Plugins have not booted yet.',
        'Retry once the app is ready.',
      );
    }
  };
  const manager = () => options.manager() as PluginManager;
  const actor = (request: FastifyRequest): PluginActor => ({ id: `admin@${request.ip}`, via: 'admin-api' });
  const run = async (reply: FastifyReply, work: () => unknown) => {
    try {
      return await work();
    } catch (error) {
      const {
        code = 'INTERNAL_ERROR',
        message = String(error),
        fix,
      } = error as { code?: string; message?: string; fix?: string };
      return fail(reply, STATUS_BY_CODE[code] ?? 500, code, message, fix);
    }
  };

  server.get('/admin/plugins', { preHandler: guard }, async () => ({ plugins: manager().list() }));
  server.get<{ Params: { name: string } }>('/admin/plugins/:name', { preHandler: guard }, (request, reply) =>
    run(reply, () => ({
      ...manager().details(request.params.name),
      history: manager().history(request.params.name),
    })),
  );
  for (const operation of ['start', 'stop', 'restart'] as const) {
    server.post<{ Params: { name: string }; Body: { withDependents?: boolean } | undefined }>(
      `/admin/plugins/:name/${operation}`,
      { preHandler: guard },
      (request, reply) =>
        run(reply, (): Promise<PluginSummary> => {
          const name = request.params.name;
          if (operation === 'restart') {
            const withDependents = request.body?.withDependents !== false;
            return manager().restart(name, { withDependents, actor: actor(request) });
          }
          return manager()[operation](name, { actor: actor(request) });
        }),
    );
  }
}

function fail(reply: FastifyReply, status: number, code: string, message: string, fix?: string) {
  return reply.code(status).send({ error: { code, message, ...(fix ? { fix } : {}) } });
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
