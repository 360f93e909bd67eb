import { loadPluginEntry, scanPlugins } from '@trellis/discovery';
import type { z } from 'zod';

/**
 * The config schema each eager plugin in `pluginsDir` exports, by plugin name, so the app's
 * schema can give every plugin a typed `plugins.<name>` slice before anything starts. Lazy
 * plugins are not imported here (their code loads on first activation); their slice is
 * validated by the plugin host when they activate. A plugin that cannot be read or imported is
 * skipped here: the plugin host reports it, and it fails alone.
 */
export async function collectPluginConfigSchemas(pluginsDir: string): Promise<Record<string, z.ZodType>> {
  const scan = await scanPlugins({ roots: [pluginsDir], maxDepth: 1 });
  const schemas: Record<string, z.ZodType> = {};
  for (const found of scan.plugins) {
    if (found.manifest.activation !== 'eager') continue;
    const loaded = await loadPluginEntry({
      name: found.manifest.name,
      dir: found.dir,
      main: found.manifest.main,
    });
    if (loaded.ok && loaded.plugin.configSchema) schemas[found.manifest.name] = loaded.plugin.configSchema;
  }
  return schemas;
}
