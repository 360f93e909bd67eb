import { pathToFileURL } from 'node:url';
import { migratePluginConfig } from './config-migration.js';

const PLUGIN_BRAND = Symbol.for('@trellis/core.Plugin');

/** A plugin definition as this side sees it: hooks and an optional zod-like schema, untyped. */
export interface LoadedPlugin {
  readonly configSchema?: { safeParse(value: unknown): SafeParseResult };
  readonly [hook: string]: unknown;
}

interface SafeParseResult {
  readonly success: boolean;
  readonly data?: unknown;
  readonly error?: {
    readonly issues?: readonly { readonly path?: readonly PropertyKey[]; readonly message?: string }[];
  };
}

/**
 * Imports a plugin entry (ESM or CommonJS, through `import()`) and returns the definePlugin(...)
 * result it exports as `plugin`, default, `default.plugin` or `default.default`, recognised by
 * core's registered brand symbol (this side cannot import core).
 */
export async function importPlugin(entry: string): Promise<LoadedPlugin> {
  const namespace = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const fallback = asRecord(namespace.default);
  const candidates = [namespace.plugin, namespace.default, fallback?.plugin, fallback?.default];
  const plugin = candidates.find((candidate) => asRecord(candidate)?.[PLUGIN_BRAND] === true);
  if (plugin === undefined) {
    const found = Object.keys(namespace).join(', ') || 'no exports';
    throw codedError(
      'PLUGIN_LOAD_FAILED',
      `${entry} exports no definePlugin(...) result as \`plugin\` or default (found: ${found})`,
    );
  }
  return plugin as LoadedPlugin;
}

/**
 * The plugin's config, parsed by its own `configSchema` when it has one. Parsing happens here,
 * in the plugin's isolate, because a zod schema (functions, classes) cannot cross the boundary.
 * @throws an Error shaped as the host's `PluginConfigInvalidError` (code `PLUGIN_CONFIG_INVALID`,
 * `details.problems`), each problem with its full path (`plugins.<name>.<path>: <message>`).
 */
export function parseConfig(name: string, plugin: LoadedPlugin, raw: unknown): unknown {
  const { config } = migratePluginConfig(name, plugin, raw);
  const schema = plugin.configSchema;
  if (schema === undefined || typeof schema.safeParse !== 'function') return config;
  const result = schema.safeParse(config);
  if (result.success) return result.data;
  const problems = (result.error?.issues ?? []).map(
    (issue) =>
      `plugins.${name}${(issue.path ?? []).map((key) => `.${String(key)}`).join('')}: ${issue.message}`,
  );
  const fix = `Correct each listed value under "plugins.${name}" in your config (or the TRELLIS_PLUGINS__… environment variables).`;
  const error = codedError(
    'PLUGIN_CONFIG_INVALID',
    `Invalid config for plugin "${name}":\n  - ${problems.join('\n  - ')}\nFix: ${fix}`,
  ) as Error & Record<string, unknown>;
  error.name = 'PluginConfigInvalidError';
  error.fix = fix;
  error.details = { plugin: name, problems };
  throw error;
}

function codedError(code: string, message: string): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  return error;
}

function asRecord(value: unknown): Record<PropertyKey, unknown> | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<PropertyKey, unknown>)
    : undefined;
}
