import { createPlatform, type Logger, type LogLevel, type Platform, type StartReport } from '@trellis/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { createHttpModule } from './http/http-module.js';
import { createHttpServerModule } from './http/http-server-module.js';
import type { PluginHost } from './plugins/plugin-host.js';
import { createPluginHostModule } from './plugins/plugin-host-module.js';
import { PLUGIN_HOST } from './tokens.js';

/** Options of {@link startReferenceApp}. */
export interface ReferenceAppOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 3000; `0` picks a free port. */
  readonly port?: number;
  /** Folder of plugin folders. */
  readonly pluginsDir: string;
  /** Values for the default config reader, e.g. `{ plugins: { hello: { greeting: 'Hi' } } }`. */
  readonly config?: Record<string, unknown>;
  readonly logLevel?: LogLevel;
  /** Replaces the default console logger (tests capture lines with it). */
  readonly logger?: Logger;
  /** Per-plugin hook deadlines, in ms. */
  readonly pluginStartTimeoutMs?: number;
  readonly pluginStopTimeoutMs?: number;
}

/** A started reference app. */
export interface ReferenceApp {
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly plugins: PluginHost;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly startReport: StartReport;
}

/**
 * Assembles the platform (core defaults, HTTP router, plugin host, HTTP server), starts it and
 * returns once the server listens. Embedded defaults only: no Redis or database needed.
 */
export async function startReferenceApp(options: ReferenceAppOptions): Promise<ReferenceApp> {
  const server = Fastify({ logger: false });
  const platform = createPlatform({
    name: 'reference',
    logLevel: options.logLevel ?? 'info',
    config: options.config ?? {},
    services: options.logger ? { logger: options.logger } : {},
    modules: [
      createHttpModule(server),
      createPluginHostModule({
        pluginsDir: options.pluginsDir,
        startTimeoutMs: options.pluginStartTimeoutMs,
        stopTimeoutMs: options.pluginStopTimeoutMs,
      }),
      createHttpServerModule(server, { host: options.host ?? '127.0.0.1', port: options.port ?? 3000 }),
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
  const startReport = await platform.start();
  const address = server.server.address();
  const url =
    typeof address === 'object' && address ? `http://${address.address}:${address.port}` : String(address);
  return { platform, server, plugins: platform.resolve(PLUGIN_HOST), url, startReport };
}
