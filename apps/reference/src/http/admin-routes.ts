import { timingSafeEqual } from 'node:crypto';
import type { Logger, PluginActor, PluginSummary } from '@trellis/core';
import {
  applyDeployment,
  applyResultView,
  type PluginDeployer,
  type PluginManager,
  planDeployment,
  planView,
} from '@trellis/lifecycle';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminNoPluginStoreError } from '../errors.js';

/** Options of {@link registerAdminRoutes}. */
export interface AdminRoutesOptions {
  /** The running plugin manager, once plugins have booted. */
  readonly manager: () => PluginManager | undefined;
  /** Bearer token every admin request must carry; without one, only loopback clients are served. */
  readonly token?: string;
  /** Where internal errors (without a code) are logged; they are not sent to the client. */
  readonly logger?: Logger;
  /** The plugin store's deployer, when the app runs plugins from a store. */
  readonly deployer?: () => PluginDeployer | undefined;
}

/** Body of the deployment routes: a source on the server's disk and/or a version. */
interface DeployBody {
  readonly source?: string;
  readonly version?: string;
  readonly enabled?: boolean;
  readonly isolation?: 'inline' | 'worker' | 'process';
  readonly file?: string;
  /** A config document the new version runs with (upgrade, downgrade). */
  readonly config?: Readonly<Record<string, unknown>>;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  PLUGIN_NOT_FOUND: 404,
  PLUGIN_HOOK_VETOED: 409,
  PLUGIN_MANAGER_STATE: 409,
  PLUGIN_ILLEGAL_TRANSITION: 409,
  PLUGIN_NOT_INSTALLED: 404,
  PLUGIN_VERSION_NOT_IN_STORE: 404,
  PLUGIN_ALREADY_INSTALLED: 409,
  PLUGIN_INCOMPATIBLE: 409,
  PLUGIN_HEALTH_GATE_FAILED: 409,
  PLUGIN_ROLLBACK_UNAVAILABLE: 409,
  PLUGIN_STORE_LOCKED: 409,
  PLUGIN_PLAN_HAS_PROBLEMS: 409,
  PLUGIN_ARCHIVE_UNSAFE: 400,
  PLUGIN_ARCHIVE_INVALID: 400,
  PLUGIN_FILE_TAMPERED: 400,
  PLUGIN_SIGNATURE_INVALID: 400,
  PLUGIN_UNSIGNED: 400,
  PLUGIN_DESIRED_STATE_INVALID: 400,
  PLUGIN_DESIRED_SOURCE_UNREADABLE: 400,
  ADMIN_NO_PLUGIN_STORE: 404,
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
      const { code, message, fix } = error as { code?: unknown; message?: string; fix?: string };
      // An error without a code is an internal one: its message stays in the log, as for routes.
      if (typeof code !== 'string') {
        options.logger?.error({ err: error }, 'admin request failed');
        return fail(reply, 500, 'INTERNAL_ERROR', 'Internal error');
      }
      return fail(reply, STATUS_BY_CODE[code] ?? 500, code, message ?? code, fix);
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
  registerDeploymentRoutes(server, options, guard, run, actor);
}

/**
 * The deployment routes: `POST /admin/plugins/install` (`{ source, enabled?, isolation? }`),
 * `POST /admin/plugins/:name/upgrade|downgrade` (`{ source?, version? }`), `/rollback`,
 * `/uninstall`, `/enable`, `/disable`, and `POST /admin/deployments/plan|apply` (`{ file }`, a
 * `trellis.plugins.yaml` on the server). Paths are the server's: the CLI sends absolute ones.
 */
function registerDeploymentRoutes(
  server: FastifyInstance,
  options: AdminRoutesOptions,
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  run: (reply: FastifyReply, work: () => unknown) => Promise<unknown>,
  actor: (request: FastifyRequest) => PluginActor,
): void {
  const deployer = (): PluginDeployer => {
    const found = options.deployer?.();
    if (found) return found;
    throw new AdminNoPluginStoreError();
  };
  type Request = FastifyRequest<{ Params: { name: string }; Body: DeployBody | undefined }>;
  const target = (request: Request) => ({
    ...(request.body?.source === undefined ? {} : { source: request.body.source }),
    ...(request.body?.version === undefined ? {} : { version: request.body.version }),
    ...(request.body?.config === undefined ? {} : { config: request.body.config }),
  });
  server.post<{ Body: DeployBody | undefined }>(
    '/admin/plugins/install',
    { preHandler: guard },
    (request, reply) =>
      run(reply, () =>
        deployer().install(request.body?.source ?? '', {
          actor: actor(request),
          ...(request.body?.enabled === undefined ? {} : { enabled: request.body.enabled }),
          ...(request.body?.isolation === undefined ? {} : { isolation: request.body.isolation }),
        }),
      ),
  );
  const routes: Record<string, (request: Request) => Promise<unknown>> = {
    upgrade: (request) => deployer().upgrade(request.params.name, target(request), { actor: actor(request) }),
    downgrade: (request) =>
      deployer().downgrade(request.params.name, target(request), { actor: actor(request) }),
    rollback: (request) => deployer().rollback(request.params.name, { actor: actor(request) }),
    uninstall: (request) => deployer().uninstall(request.params.name, { actor: actor(request) }),
    enable: (request) => deployer().setEnabled(request.params.name, true, { actor: actor(request) }),
    disable: (request) => deployer().setEnabled(request.params.name, false, { actor: actor(request) }),
  };
  for (const [operation, handle] of Object.entries(routes)) {
    server.post<{ Params: { name: string }; Body: DeployBody | undefined }>(
      `/admin/plugins/:name/${operation}`,
      { preHandler: guard },
      (request, reply) => run(reply, () => handle(request)),
    );
  }
  server.post<{ Body: DeployBody | undefined }>(
    '/admin/deployments/plan',
    { preHandler: guard },
    (request, reply) =>
      run(reply, async () => {
        const plan = await planDeployment(deployer().store, request.body?.file ?? '');
        return planView(plan);
      }),
  );
  server.post<{ Body: DeployBody | undefined }>(
    '/admin/deployments/apply',
    { preHandler: guard },
    (request, reply) =>
      run(reply, async () => {
        const plan = await planDeployment(deployer().store, request.body?.file ?? '');
        const result = await applyDeployment(deployer(), plan, { actor: actor(request) });
        return applyResultView(plan, result);
      }),
  );
}

function fail(reply: FastifyReply, status: number, code: string, message: string, fix?: string) {
  return reply.code(status).send({ error: { code, message, ...(fix ? { fix } : {}) } });
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
