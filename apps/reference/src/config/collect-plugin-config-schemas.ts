import { loadPluginEntry, scanPlugins } from '@trellis/discovery';
import { z } from 'zod';

/** The slice of a worker or process plugin, as the host checks it: any object. */
const ISOLATED_SLICE = z.record(z.string(), z.unknown());

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
    if (found.manifest.isolation !== 'inline') {
      // Isolated plugins' code never runs in the host: the slice is known here (so it is not an
      // unknown setting) and parsed by the plugin's own schema on its side of the boundary.
      schemas[found.manifest.name] = ISOLATED_SLICE;
      continue;
    }
    const loaded = await loadPluginEntry({
      name: found.manifest.name,
      dir: found.dir,
      main: found.manifest.main,
    });
    if (loaded.ok && loaded.plugin.configSchema) schemas[found.manifest.name] = loaded.plugin.configSchema;
  }
  return schemas;
}
