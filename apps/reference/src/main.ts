// Entry point of `pnpm start`: loads config (apps/reference/config + TRELLIS_* variables), starts
// the app, and stops it gracefully on SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { installShutdownHandlers } from '@trellis/core';
import { startReferenceApp } from './reference-app.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// Plugins run from the plugin store, deployed from trellis.plugins.yaml, unless a plugins folder
// is named alone (TRELLIS_PLUGINS_DIR without TRELLIS_PLUGINS_FILE): then the folder runs as is.
const desiredState =
  process.env.TRELLIS_PLUGINS_FILE ??
  (process.env.TRELLIS_PLUGINS_DIR ? undefined : here('../trellis.plugins.yaml'));
const app = await startReferenceApp({
  // Where plugins live decides the config schema, so it is read before the config itself.
  pluginsDir: process.env.TRELLIS_PLUGINS_DIR ?? here('../plugins'),
  configDir: process.env.TRELLIS_CONFIG_DIR ?? here('../config'),
  env: process.env,
  watchConfig: true,
  ...(desiredState
    ? {
        pluginStore: {
          dir: process.env.TRELLIS_PLUGIN_STORE ?? here('../.trellis-data/plugin-store'),
          desiredState,
        },
      }
    : {}),
});
installShutdownHandlers(app.platform, { timeoutMs: app.config.value.shutdown.timeoutMs });
app.platform.logger.info({ url: app.url }, `Trellis reference app listening on ${app.url}`);
