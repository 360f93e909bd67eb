// Entry point of `pnpm start`: reads the environment, starts the app, stops it on SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { installShutdownHandlers, type LogLevel } from '@trellis/core';
import { startReferenceApp } from './reference-app.js';

const env = process.env;
const app = await startReferenceApp({
  host: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 3000),
  pluginsDir: env.TRELLIS_PLUGINS_DIR ?? fileURLToPath(new URL('../plugins', import.meta.url)),
  logLevel: (env.TRELLIS_LOG_LEVEL as LogLevel | undefined) ?? 'info',
});
installShutdownHandlers(app.platform, { timeoutMs: Number(env.TRELLIS_SHUTDOWN_TIMEOUT_MS ?? 30_000) });
app.platform.logger.info({ url: app.url }, `Trellis reference app listening on ${app.url}`);
