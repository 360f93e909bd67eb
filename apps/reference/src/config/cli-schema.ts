// The schema module for `trellis config … --schema apps/reference/dist/config/cli-schema.js`:
// the same schema the app composes at start, from the plugins folder main.ts would use.
import { fileURLToPath } from 'node:url';
import { createAppConfigSchema } from './app-config-schema.js';
import { collectPluginConfigSchemas } from './collect-plugin-config-schemas.js';

/** The reference app's config schema, with a slice for every plugin in `TRELLIS_PLUGINS_DIR`. */
export async function createConfigSchema() {
  const pluginsDir =
    process.env.TRELLIS_PLUGINS_DIR ?? fileURLToPath(new URL('../../plugins', import.meta.url));
  return createAppConfigSchema(await collectPluginConfigSchemas(pluginsDir));
}

/** The config document version this build expects. */
export const currentVersion = 1;

/** Bootstrap variables of the app that are not settings (see main.ts). */
export const ignoreEnv = ['TRELLIS_PLUGINS_DIR'];
