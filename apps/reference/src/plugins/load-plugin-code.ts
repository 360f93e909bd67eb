import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, type Plugin } from '@trellis/core';
import { PluginLoadError } from '../errors.js';
import type { FoundManifest } from './read-plugin-manifest.js';

/**
 * Imports a plugin's entry file (`main`, default `index.js`) and returns the plugin it exports
 * as `plugin` or as the default export.
 *
 * @throws {@link PluginLoadError} when the import fails or nothing it exports is a plugin.
 */
export async function loadPluginCode(found: FoundManifest): Promise<Plugin> {
  const file = join(found.dir, found.manifest.main ?? 'index.js');
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginLoadError(found.manifest.name, file, (error as Error).message, error);
  }
  const candidate = exports.plugin ?? exports.default;
  if (!isPlugin(candidate)) {
    throw new PluginLoadError(
      found.manifest.name,
      file,
      'it exports no definePlugin(...) result as `plugin` or default',
    );
  }
  return candidate;
}
