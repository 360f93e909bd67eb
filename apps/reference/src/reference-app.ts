import { type Config, createConfigModule, loadConfig, resolveSourcePaths } from '@trellis/config';
import { createPlatform, type Logger, type Platform, type StartReport } from '@trellis/core';
import { PluginStore } from '@trellis/lifecycle';
import { createResilienceModule, createSupervisionModule, POLICIES } from '@trellis/resilience';
import Fastify, { type FastifyInstance } from 'fastify';
import { type AppConfig, createAppConfigSchema } from './config/app-config-schema.js';
import { collectPluginConfigSchemas } from './config/collect-plugin-config-schemas.js';
import { registerAdminRoutes } from './http/admin-routes.js';
import { createHttpModule } from './http/http-module.js';
import { createHttpServerModule } from './http/http-server-module.js';
import type { PluginHost } from './plugins/plugin-host.js';
import { createPluginHostModule } from './plugins/plugin-host-module.js';
import { PLUGIN_HOST } from './tokens.js';

/** Options of {@link startReferenceApp}. */
export interface ReferenceAppOptions {
  /** Folder of plugin folders. */
  readonly pluginsDir: string;
  /** Folder with `default.yaml` and `<environment>.yaml`; omit to run on schema defaults only. */
  readonly configDir?: string;
  /** Environment variables (`TRELLIS_HTTP__PORT=0`...); default none, `main.ts` passes `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Runtime overrides by dotted path, applied after loading, e.g. `{ 'http.port': 0 }`. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Watch the config files and apply valid edits while running; default false. */
  readonly watchConfig?: boolean;
  /** Replaces the default console logger (tests capture lines with it). */
  readonly logger?: Logger;
  /**
   * Run plugins from a plugin store (install, upgrade, rollback live) instead of the plugins
   * folder: `dir` is the store, `desiredState` the `trellis.plugins.yaml` applied at start.
   */
  readonly pluginStore?: { readonly dir: string; readonly desiredState?: string };
}

/** A started reference app. */
export interface ReferenceApp {
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly plugins: PluginHost;
  readonly config: Config<AppConfig>;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly startReport: StartReport;
}

/**
 * Loads the app's configuration (its own sections plus a typed slice per plugin), assembles the
 * platform (config, HTTP router, plugin host, HTTP server), starts it and returns once the server
 * listens. Embedded defaults only: no Redis or database needed.
 */
export async function startReferenceApp(options: ReferenceAppOptions): Promise<ReferenceApp> {
  const schema = createAppConfigSchema(await collectPluginConfigSchemas(options.pluginsDir));
  const sources = {
    schema,
    // Without a config folder the app runs on schema defaults plus the given environment.
    dir: options.configDir ?? `${options.pluginsDir}/.no-config`,
    envFile: options.configDir ? undefined : (false as const),
    env: options.env ?? {},
    // Bootstrap variables read before the config exists; not settings.
    ignoreEnv: ['TRELLIS_PLUGINS_DIR', 'TRELLIS_PLUGINS_FILE', 'TRELLIS_PLUGIN_STORE'],
  };
  const config = await loadConfig(sources);
  for (const [path, value] of Object.entries(options.overrides ?? {})) config.set(path, value, 'startup');
  const settings = config.value;

  const store = options.pluginStore
    ? await PluginStore.open(options.pluginStore.dir, { trust: settings.pluginStore.trust })
    : undefined;
  const server = Fastify({ logger: false });
  const platform = createPlatform({
    name: 'reference',
    logLevel: settings.log.level,
    services: options.logger ? { logger: options.logger } : {},
    modules: [
      createConfigModule({ config, watch: options.watchConfig ? resolveSourcePaths(sources) : undefined }),
      createResilienceModule({
        config: settings.resilience,
        // A chaos "crash" on plugin:<name> kills that plugin as a crash would; its supervisor heals it.
        crash: (target) => {
          const name = target.startsWith('plugin:') ? target.slice('plugin:'.length) : undefined;
          if (name) platform.resolve(PLUGIN_HOST).manager?.kill(name, 'chaos: injected crash');
        },
      }),
      createHttpModule(server),
      createPluginHostModule({
        pluginsDir: options.pluginsDir,
        startTimeoutMs: settings.pluginHost.startTimeoutMs,
        stopTimeoutMs: settings.pluginHost.stopTimeoutMs,
        watch: settings.pluginHost.watch,
        policies: settings.pluginHost.policies,
        ...(store
          ? {
              store: {
                store,
                ...(options.pluginStore?.desiredState
                  ? { desiredState: options.pluginStore.desiredState }
                  : {}),
                gate: settings.pluginStore.gate,
              },
            }
          : {}),
      }),
      createSupervisionModule({
        config: settings.resilience,
        // Prediction acts before the failure: shed half the plugin's traffic, or open its breakers.
        actions: {
          shedLoad: (plugin) => platform.resolve(PLUGIN_HOST).shed(plugin, 30_000),
          openBreaker: (plugin) => {
            for (const policy of platform.resolve(POLICIES).ofPlugin(plugin))
              policy.breaker?.open('failure predicted');
          },
        },
        heapOf: (name) => {
          const stats = platform.resolve(PLUGIN_HOST).manager?.stats(name);
          return stats?.heapUsedBytes !== undefined && stats.heapLimitBytes !== undefined
            ? { heapUsedBytes: stats.heapUsedBytes, heapLimitBytes: stats.heapLimitBytes }
            : undefined;
        },
      }),
      createHttpServerModule(server, {
        host: settings.http.host,
        port: settings.http.port,
        drainTimeoutMs: settings.http.drainTimeoutMs,
      }),
    ],
  });
  server.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    // 5xx details stay in the log: they may name files or internals a client should not see.
    if (status >= 500) platform.logger.error({ err: error, url: request.url }, 'request failed');
    const code = error.code ?? 'INTERNAL_ERROR';
    return reply
      .code(status)
      .send({ error: { code, message: status >= 500 ? 'Internal error' : error.message } });
  });
  registerAdminRoutes(server, {
    manager: () => platform.resolve(PLUGIN_HOST).manager,
    deployer: () => platform.resolve(PLUGIN_HOST).deployer,
    logger: platform.logger,
    ...(settings.admin.token ? { token: settings.admin.token.reveal() } : {}),
  });
  // While the app runs, `trellis plugins ...` on its store sends operations here, not to the folder.
  let releaseHost: (() => Promise<void>) | undefined;
  server.addHook('onClose', async () => {
    await releaseHost?.();
  });
  const startReport = await platform.start();
  const address = server.server.address();
  const url =
    typeof address === 'object' && address ? `http://${address.address}:${address.port}` : String(address);
  releaseHost = await store?.claimHost({ url });
  return { platform, server, plugins: platform.resolve(PLUGIN_HOST), config, url, startReport };
}
