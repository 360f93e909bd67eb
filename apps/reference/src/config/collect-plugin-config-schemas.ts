import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { loadPluginCode } from '../plugins/load-plugin-code.js';
import { readPluginManifest } from '../plugins/read-plugin-manifest.js';

/**
 * The config schema each plugin in `pluginsDir` exports, by plugin name, so the app's schema can
 * give every plugin a typed `plugins.<name>` slice before anything starts. A plugin that cannot be
 * read or imported is skipped here: the plugin host reports it, and it fails alone.
 */
export async function collectPluginConfigSchemas(pluginsDir: string): Promise<Record<string, z.ZodType>> {
  let names: string[];
  try {
    names = (await readdir(pluginsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return {};
  }
  const schemas: Record<string, z.ZodType> = {};
  for (const name of names.sort()) {
    try {
      const found = await readPluginManifest(join(pluginsDir, name));
      if (!found || found.manifest.name in schemas) continue;
      const plugin = await loadPluginCode(found);
      if (plugin.configSchema) schemas[found.manifest.name] = plugin.configSchema;
    } catch {
      // reported by the plugin host, which owns plugin failures
    }
  }
  return schemas;
}
