import { TrellisError } from '@trellis/core';

/** Every error code the reference app raises; each is documented in `docs/errors.md`. */
export const REFERENCE_ERROR_CODES = [
  'PLUGIN_MANIFEST_INVALID',
  'PLUGIN_PLATFORM_INCOMPATIBLE',
  'PLUGIN_LOAD_FAILED',
  'PLUGIN_CONFIG_INVALID',
  'PLUGIN_DEPENDENCY_MISSING',
  'PLUGIN_DEPENDENCY_CYCLE',
  'PLUGIN_NAME_TAKEN',
  'PLUGIN_HOOK_FAILED',
  'HTTP_ROUTE_CONFLICT',
] as const;

/** A plugin's manifest file is missing, unreadable or has invalid fields. */
export class PluginManifestInvalidError extends TrellisError {
  constructor(file: string, problems: readonly string[]) {
    super('PLUGIN_MANIFEST_INVALID', `Invalid plugin manifest ${file}:\n  - ${problems.join('\n  - ')}`, {
      fix: 'Correct the listed fields; a manifest needs name, version (semver) and platform (semver range).',
      details: { file, problems },
    });
  }
}

/** A plugin's `platform` range does not include this Trellis version. */
export class PluginPlatformIncompatibleError extends TrellisError {
  constructor(plugin: string, range: string, version: string) {
    super(
      'PLUGIN_PLATFORM_INCOMPATIBLE',
      `Plugin "${plugin}" supports platform ${range}, but this is Trellis ${version}.`,
      {
        fix: `Install a version of "${plugin}" built for Trellis ${version}, or widen its "platform" range if it is compatible.`,
        details: { plugin, range, version },
      },
    );
  }
}

/** A plugin's entry file could not be imported or does not export a plugin. */
export class PluginLoadError extends TrellisError {
  constructor(plugin: string, file: string, problem: string, cause?: unknown) {
    super('PLUGIN_LOAD_FAILED', `Plugin "${plugin}" could not be loaded from ${file}: ${problem}`, {
      cause,
      fix: 'Build the plugin, check "main" in its manifest, and export definePlugin(...) as `plugin` or default.',
      details: { plugin, file },
    });
  }
}

/** A plugin's config slice does not match the schema it exports. */
export class PluginConfigInvalidError extends TrellisError {
  constructor(plugin: string, problems: readonly string[]) {
    super(
      'PLUGIN_CONFIG_INVALID',
      `Config for plugin "${plugin}" is invalid:\n  - ${problems.join('\n  - ')}`,
      {
        fix: `Correct plugins.${plugin} in your configuration to match the plugin's configSchema.`,
        details: { plugin, problems },
      },
    );
  }
}

/** A plugin requires another plugin that is not installed or failed. */
export class PluginDependencyMissingError extends TrellisError {
  constructor(plugin: string, dependency: string, range: string, found: string) {
    super('PLUGIN_DEPENDENCY_MISSING', `Plugin "${plugin}" needs "${dependency}" ${range}, but ${found}.`, {
      fix: `Install a version of "${dependency}" matching ${range} into the plugins folder, or fix why it failed.`,
      details: { plugin, dependency, range },
    });
  }
}

/** Two live routes claim the same method and URL. */
export class HttpRouteConflictError extends TrellisError {
  constructor(method: string, url: string) {
    super('HTTP_ROUTE_CONFLICT', `${method} ${url} is already served by another route.`, {
      fix: 'Give the route another path, or dispose the existing route first.',
      details: { method, url },
    });
  }
}

/** Plugins depend on each other in a cycle, so none of them can start first. */
export class PluginDependencyCycleError extends TrellisError {
  constructor(cycle: readonly string[]) {
    super('PLUGIN_DEPENDENCY_CYCLE', `Plugins depend on each other in a cycle: ${cycle.join(' → ')}.`, {
      fix: 'Remove one of the dependencies in the cycle from its manifest, or move the shared part into a third plugin.',
      details: { cycle },
    });
  }
}

/** Two plugin folders declare the same plugin name. */
export class PluginNameTakenError extends TrellisError {
  constructor(name: string, firstDir: string, secondDir: string) {
    super('PLUGIN_NAME_TAKEN', `Plugin name "${name}" in ${secondDir} is already taken by ${firstDir}.`, {
      fix: `Remove one of the two folders, or rename one plugin in its manifest.`,
      details: { plugin: name, dirs: [firstDir, secondDir] },
    });
  }
}

/** A plugin's setup, start or stop hook threw. */
export class PluginHookError extends TrellisError {
  constructor(plugin: string, hook: string, cause: unknown) {
    super(
      'PLUGIN_HOOK_FAILED',
      `Plugin "${plugin}" failed in ${hook}(): ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        fix: `See the cause; fix ${hook}() in plugin "${plugin}". Other plugins were not affected.`,
        details: { plugin, hook },
      },
    );
  }
}
