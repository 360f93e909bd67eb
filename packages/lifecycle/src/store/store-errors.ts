import { TrellisError } from '@trellis/core';

/** Error codes of the plugin store and its deployments; each is documented in `docs/errors.md`. */
export const STORE_ERROR_CODES = [
  'PLUGIN_STORE_CORRUPT',
  'PLUGIN_STORE_LOCKED',
  'PLUGIN_NOT_INSTALLED',
  'PLUGIN_ALREADY_INSTALLED',
  'PLUGIN_VERSION_NOT_IN_STORE',
  'PLUGIN_INCOMPATIBLE',
  'PLUGIN_HEALTH_GATE_FAILED',
  'PLUGIN_ROLLBACK_UNAVAILABLE',
] as const;

/** `store.json` cannot be read as a store record. */
export class PluginStoreCorruptError extends TrellisError {
  constructor(file: string, problems: readonly string[]) {
    super('PLUGIN_STORE_CORRUPT', `The plugin store record ${file} is not valid: ${problems.join('; ')}.`, {
      fix: 'Restore the file from a backup of the store folder, or fix the fields named; the store never writes it partially, so an edit by hand is the usual cause.',
      details: { file, problems },
    });
  }
}

/** Another process is changing the store. */
export class PluginStoreLockedError extends TrellisError {
  constructor(lockFile: string, pid: number) {
    super('PLUGIN_STORE_LOCKED', `The plugin store is being changed by process ${pid} (${lockFile}).`, {
      fix:
        'Wait for that operation to finish. When an app is running on this store, send the operation to it (trellis plugins ... --url); if process ' +
        `${pid} no longer exists the lock is taken over automatically on the next try.`,
      details: { lockFile, pid },
    });
  }
}

/** An operation names a plugin the store does not hold. */
export class PluginNotInstalledError extends TrellisError {
  constructor(plugin: string, installed: readonly string[]) {
    super('PLUGIN_NOT_INSTALLED', `Plugin "${plugin}" is not installed in the store.`, {
      fix:
        installed.length > 0
          ? `Installed plugins: ${installed.slice(0, 20).join(', ')}${installed.length > 20 ? ', …' : ''}. Install it with trellis plugins install <folder|archive>.`
          : 'The store is empty; install it with trellis plugins install <folder|archive>.',
      details: { plugin },
    });
  }
}

/** `install` of a plugin the store already runs. */
export class PluginAlreadyInstalledError extends TrellisError {
  constructor(plugin: string, active: string, offered: string) {
    super(
      'PLUGIN_ALREADY_INSTALLED',
      `Plugin "${plugin}" is already installed (version ${active}); the source holds ${offered}.`,
      {
        fix: `Use trellis plugins upgrade ${plugin} <source> (or downgrade) to change versions with a backup and a health gate.`,
        details: { plugin, active, offered },
      },
    );
  }
}

/** A version asked for is not held in the store and no source was given. */
export class PluginVersionNotInStoreError extends TrellisError {
  constructor(plugin: string, version: string, held: readonly string[]) {
    super('PLUGIN_VERSION_NOT_IN_STORE', `Version ${version} of plugin "${plugin}" is not in the store.`, {
      fix: `Held versions: ${held.join(', ') || 'none'}. Give a folder or archive of ${version} as the source.`,
      details: { plugin, version, held },
    });
  }
}

/** A version change would break the platform range, a dependency, or a dependent. */
export class PluginIncompatibleError extends TrellisError {
  constructor(plugin: string, version: string, problems: readonly string[]) {
    super(
      'PLUGIN_INCOMPATIBLE',
      `Plugin "${plugin}" ${version} cannot be installed here: ${problems.join('; ')}.`,
      {
        fix: 'Pick a version whose ranges fit, or change the plugins named first (upgrade the dependent so its range accepts this version).',
        details: { plugin, version, problems },
      },
    );
  }
}

/** The new version did not become healthy in time; the change was rolled back. */
export class PluginHealthGateFailedError extends TrellisError {
  constructor(plugin: string, from: string, to: string, reason: string, rolledBack: boolean) {
    super(
      'PLUGIN_HEALTH_GATE_FAILED',
      `Plugin "${plugin}" ${to} failed its health gate (${reason}); ${rolledBack ? `rolled back to ${from} with its data and config` : `the rollback to ${from} failed too`}.`,
      {
        fix: rolledBack
          ? `Nothing to do to keep running ${from}. Fix ${to} (see the error above and the plugin's logs), then upgrade again.`
          : 'The plugin is failed. Check the store with trellis plugins verify and start the previous version by hand.',
        details: { plugin, from, to, reason, rolledBack },
      },
    );
  }
}

/** `rollback` of a plugin that has no previous version or backup. */
export class PluginRollbackUnavailableError extends TrellisError {
  constructor(plugin: string, why: string) {
    super('PLUGIN_ROLLBACK_UNAVAILABLE', `Plugin "${plugin}" cannot be rolled back: ${why}.`, {
      fix: 'Roll back only after an upgrade or downgrade; to go to another held version use trellis plugins downgrade (or upgrade) <name> --to <version>.',
      details: { plugin, why },
    });
  }
}
