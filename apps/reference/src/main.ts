// Entry point of `pnpm start`: loads config (apps/reference/config + TRELLIS_* variables), starts
// the app, and stops it gracefully on SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { installShutdownHandlers } from '@trellis/core';
import { startReferenceApp } from './reference-app.js';

const app = await startReferenceApp({
  // Where plugins live decides the config schema, so it is read before the config itself.
  pluginsDir: process.env.TRELLIS_PLUGINS_DIR ?? fileURLToPath(new URL('../plugins', import.meta.url)),
  configDir: process.env.TRELLIS_CONFIG_DIR ?? fileURLToPath(new URL('../config', import.meta.url)),
  env: process.env,
  watchConfig: true,
});
installShutdownHandlers(app.platform, { timeoutMs: app.config.value.shutdown.timeoutMs });
app.platform.logger.info({ url: app.url }, `Trellis reference app listening on ${app.url}`);
