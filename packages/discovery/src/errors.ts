import { TrellisError } from '@trellis/core';

/** Every error code `@trellis/discovery` raises; each is documented in `docs/errors.md`. */
export const DISCOVERY_ERROR_CODES = [
  'PLUGIN_MANIFEST_INVALID',
  'PLUGIN_NAME_TAKEN',
  'PLUGIN_SCAN_FAILED',
  'PLUGIN_PLATFORM_INCOMPATIBLE',
  'PLUGIN_DEPENDENCY_MISSING',
  'PLUGIN_DEPENDENCY_CYCLE',
  'PLUGIN_DEPENDENCY_DISABLED',
  'PLUGIN_LOAD_FAILED',
  'PLUGIN_SCAN_OPTIONS_INVALID',
  'PLUGIN_ACTIVATION_DUPLICATE',
] as const;

/** A code from {@link DISCOVERY_ERROR_CODES}. */
export type DiscoveryErrorCode = (typeof DISCOVERY_ERROR_CODES)[number];

/** One invalid field of a manifest. */
export interface ManifestProblem {
  /** Dotted field path, e.g. `dependencies.auth`; empty for the whole manifest. */
  readonly field: string;
  readonly message: string;
  /** 1-based position in the manifest file, when known. */
  readonly line?: number;
  readonly column?: number;
}

/** A manifest file is unreadable, malformed JSON, or has invalid fields (all listed). */
export class ManifestInvalidError extends TrellisError {
  readonly problems: readonly ManifestProblem[];

  constructor(file: string, problems: readonly ManifestProblem[]) {
    const lines = problems.map((p) => {
      const at =
        p.line === undefined ? file : `${file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
      return `${at}${p.field ? ` "${p.field}"` : ''}: ${p.message}`;
    });
    super('PLUGIN_MANIFEST_INVALID', `Invalid plugin manifest ${file}:\n  - ${lines.join('\n  - ')}`, {
      fix: 'Correct each listed field; the manifest JSON Schema (manifest.schema.json) gives editors completion and checks.',
      details: { file, problems },
    });
    this.problems = problems;
  }
}

/** Two plugins declare one name; the message names both paths and which one wins. */
export class PluginNameTakenError extends TrellisError {
  constructor(name: string, winner: string, loser: string) {
    super(
      'PLUGIN_NAME_TAKEN',
      `Plugin "${name}" is declared twice: ${winner} is used, ${loser} is ignored.`,
      {
        fix: 'Remove one copy, or rename one plugin. The higher version wins, then the path that sorts first.',
        details: { plugin: name, winner, loser },
      },
    );
  }
}

/** A folder could not be scanned (unreadable, a symlink loop); scanning carried on without it. */
export class PluginScanError extends TrellisError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('PLUGIN_SCAN_FAILED', `Could not scan ${path}: ${problem}.`, {
      cause,
      fix: 'Fix the folder permissions or the symlink, or add the path to the ignore patterns.',
      details: { path },
    });
  }
}

/** A plugin's `platform` range does not include this Trellis version. */
export class PluginPlatformIncompatibleError extends TrellisError {
  constructor(plugin: string, range: string, version: string, file: string) {
    super(
      'PLUGIN_PLATFORM_INCOMPATIBLE',
      `Plugin "${plugin}" (${file}) supports platform ${range}, but this is Trellis ${version}.`,
      {
        fix: `Install a version of "${plugin}" built for Trellis ${version}, or widen its "platform" range if it is compatible.`,
        details: { plugin, range, version, file },
      },
    );
  }
}

/** A required dependency is not installed, or no installed version satisfies the range. */
export class PluginDependencyMissingError extends TrellisError {
  constructor(explanation: string, details: Readonly<Record<string, unknown>>) {
    super('PLUGIN_DEPENDENCY_MISSING', explanation, {
      fix: 'Install a version of the dependency that satisfies the range, or relax the range in the manifest.',
      details,
    });
  }
}

/** Plugins depend on each other in a cycle; every plugin in it is disabled. */
export class PluginDependencyCycleError extends TrellisError {
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super('PLUGIN_DEPENDENCY_CYCLE', `Plugins depend on each other in a cycle: ${cycle.join(' → ')}.`, {
      fix: 'Remove one dependency of the cycle, or move the shared part into a plugin both depend on.',
      details: { cycle },
    });
    this.cycle = cycle;
  }
}

/** A plugin is disabled because a plugin it requires is disabled (transitively). */
export class PluginDependencyDisabledError extends TrellisError {
  constructor(plugin: string, dependency: string, reason: string) {
    super(
      'PLUGIN_DEPENDENCY_DISABLED',
      `Plugin "${plugin}" is disabled because its dependency "${dependency}" is: ${reason}`,
      {
        fix: `Fix "${dependency}" first; "${plugin}" starts again once it does.`,
        details: { plugin, dependency },
      },
    );
  }
}

/** A plugin's entry could not be imported, or does not export a `definePlugin` result. */
export class PluginLoadError extends TrellisError {
  constructor(plugin: string, file: string, problem: string, cause?: unknown) {
    super('PLUGIN_LOAD_FAILED', `Plugin "${plugin}" could not be loaded from ${file}: ${problem}`, {
      cause,
      fix: 'Build the plugin, check "main" in its manifest, and export definePlugin(...) as `plugin` or default.',
      details: { plugin, file, stack: cause instanceof Error ? cause.stack : undefined },
    });
  }
}

/** `scanPlugins` was given options that do not match its schema; every problem is listed. */
export class ScanOptionsInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('PLUGIN_SCAN_OPTIONS_INVALID', `Invalid scanPlugins() options:\n  - ${problems.join('\n  - ')}`, {
      fix: 'Correct the listed options; see ScanOptions in @trellis/discovery for each field.',
      details: { problems },
    });
  }
}

/** A lazy plugin was registered twice with one activation controller. */
export class ActivationDuplicateError extends TrellisError {
  constructor(plugin: string) {
    super('PLUGIN_ACTIVATION_DUPLICATE', `Lazy plugin "${plugin}" is registered already.`, {
      fix: 'Dispose the first registration before registering the plugin again.',
      details: { plugin },
    });
  }
}
