import { loadPluginEntry, scanPlugins } from '@trellis/discovery';
import type { z } from 'zod';

/**
 * The config schema each eager plugin in `pluginsDir` exports, by plugin name, so the app's
 * schema can give every plugin a typed `plugins.<name>` slice before anything starts. Lazy
 * plugins are not imported here (their code loads on first activation); their slice is
 * validated by the plugin host when they activate; worker and process plugins are not imported
 * either (their code must not run in the host) and parse their slice on their side. A plugin
 * that cannot be read or imported is
 * skipped here: the plugin host reports it, and it fails alone.
 */
export async function collectPluginConfigSchemas(pluginsDir: string): Promise<Record<string, z.ZodType>> {
  const scan = await scanPlugins({ roots: [pluginsDir], maxDepth: 1 });
  const schemas: Record<string, z.ZodType> = {};
  for (const found of scan.plugins) {
    if (found.manifest.activation !== 'eager') continue;
    // Isolated plugins' code never runs in the host: they parse their slice on their side.
    if (found.manifest.isolation !== 'inline') continue;
    const loaded = await loadPluginEntry({
      name: found.manifest.name,
      dir: found.dir,
      main: found.manifest.main,
    });
    if (loaded.ok && loaded.plugin.configSchema) schemas[found.manifest.name] = loaded.plugin.configSchema;
  }
  return schemas;
}
