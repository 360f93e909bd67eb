import type { Plugin } from '@trellis/core';
import { PluginConfigInvalidError } from '../errors.js';
import { migratePluginConfig } from '../runtime/child/config-migration.js';

/**
 * `raw` brought forward through the plugin's config migrations (when it declares a
 * `configVersion`), then parsed by its `configSchema` (as is without one).
 */
export function parseConfig(name: string, plugin: Plugin, raw: unknown): unknown {
  let config: unknown;
  try {
    config = migratePluginConfig(name, plugin, raw).config;
  } catch (error) {
    // The same code either side of a worker or process boundary, as a TrellisError on this one.
    const problems = (error as { details?: { problems?: string[] } }).details?.problems ?? [String(error)];
    throw new PluginConfigInvalidError(name, problems);
  }
  if (!plugin.configSchema) return config;
  const parsed = plugin.configSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  throw new PluginConfigInvalidError(
    name,
    parsed.error.issues.map(
      (issue) => `plugins.${name}${issue.path.map((key) => `.${String(key)}`).join('')}: ${issue.message}`,
    ),
  );
}
