// Brings a plugin's config document forward through the plugin's own migration chain. Imports
// nothing (it runs on the plugin side of a worker or process too); the host's parse uses it as well.

/** The part of a plugin definition that versions its config. */
export interface VersionedConfigPlugin {
  readonly configVersion?: unknown;
  readonly configMigrations?: unknown;
}

/** What {@link migratePluginConfig} did. */
export interface ConfigMigrationOutcome {
  /** The document the schema should see: migrated, without its `version` key. */
  readonly config: unknown;
  /** The steps applied, `1→2: rename ttl` style; empty when nothing changed. */
  readonly steps: readonly string[];
}

interface Step {
  readonly from: number;
  readonly to: number;
  readonly description?: string;
  migrate(document: Record<string, unknown>): Record<string, unknown>;
}

/**
 * When the plugin declares `configVersion`, reads the document's `version` (none means 1) and
 * applies the plugin's `configMigrations` from there up to `configVersion`, then drops the
 * `version` key so the schema sees the settings only. A plugin without `configVersion` gets its
 * document as it is.
 * @throws An Error with code `PLUGIN_CONFIG_INVALID` when the document is newer than the code
 *   understands, a step is missing, or a step throws; the message says which and how to fix it.
 */
export function migratePluginConfig(name: string, definition: object, raw: unknown): ConfigMigrationOutcome {
  const plugin = definition as VersionedConfigPlugin;
  const target = plugin.configVersion;
  if (typeof target !== 'number' || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: raw, steps: [] };
  }
  const { version: declared, ...settings } = raw as Record<string, unknown>;
  const from = typeof declared === 'number' && Number.isInteger(declared) && declared > 0 ? declared : 1;
  if (from > target) {
    throw invalid(
      name,
      `its config is version ${from}, newer than this version of the plugin reads (${target})`,
      'Restore the config from before the upgrade that wrote it (trellis plugins rollback restores it with the code), or run a plugin version that reads it.',
    );
  }
  const chain = Array.isArray(plugin.configMigrations) ? (plugin.configMigrations as Step[]) : [];
  const steps: string[] = [];
  let document: Record<string, unknown> = settings;
  for (let version = from; version < target; ) {
    const step = chain.find((candidate) => candidate.from === version);
    if (step === undefined || step.to <= version || step.to > target) {
      throw invalid(
        name,
        `its config is version ${version} and the plugin has no migration from ${version} on its way to ${target}`,
        `Add a configMigrations step { from: ${version}, to: ... } to the plugin, or write the config in version ${target}.`,
      );
    }
    try {
      document = step.migrate(structuredCopy(document));
    } catch (error) {
      throw invalid(
        name,
        `its config migration ${step.from}→${step.to} failed: ${error instanceof Error ? error.message : String(error)}`,
        'Fix the migration step, or correct the config so the step accepts it.',
      );
    }
    steps.push(`${step.from}→${step.to}${step.description ? `: ${step.description}` : ''}`);
    version = step.to;
  }
  return { config: document, steps };
}

function structuredCopy(document: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}

function invalid(name: string, what: string, fix: string): Error {
  const error = new Error(`Invalid config for plugin "${name}": ${what}.\nFix: ${fix}`) as Error &
    Record<string, unknown>;
  error.name = 'PluginConfigInvalidError';
  error.code = 'PLUGIN_CONFIG_INVALID';
  error.fix = fix;
  error.details = { plugin: name, problems: [what] };
  return error;
}
