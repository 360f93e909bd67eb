import type { Plugin } from '@trellis/core';
import { PluginConfigInvalidError } from '../errors.js';

/** `raw` parsed by the plugin's `configSchema` (as is without one). */
export function parseConfig(name: string, plugin: Plugin, raw: unknown): unknown {
  if (!plugin.configSchema) return raw;
  const parsed = plugin.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PluginConfigInvalidError(
    name,
    parsed.error.issues.map(
      (issue) => `plugins.${name}${issue.path.map((key) => `.${String(key)}`).join('')}: ${issue.message}`,
    ),
  );
}
