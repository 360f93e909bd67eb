import { dirname, join, resolve } from 'node:path';
import type { Clock } from '@trellis/core';
import type { z } from 'zod';
import type { LoadConfigOptions } from '../runtime/load-config.js';
import { type Keyring, loadKeyring } from '../secrets/keyring.js';
import { SnapshotStore } from '../store/snapshot-store.js';

/**
 * The configuration a config operation works on: the schema, the config folder and how to read
 * it (the subset of {@link LoadConfigOptions} that a command needs), plus where backups go.
 *
 * @example
 * ```ts
 * const target: ConfigTarget = { schema, dir: 'config', environment: 'production' };
 * const result = await validateConfigFiles(target);
 * ```
 */
export interface ConfigTarget
  extends Pick<
    LoadConfigOptions<z.ZodType>,
    'schema' | 'environment' | 'envFile' | 'env' | 'keyring' | 'currentVersion' | 'migrations' | 'ignoreEnv'
  > {
  /** Folder holding `default.(yaml|json)` and `<environment>.(yaml|json)`. */
  readonly dir: string;
  /** Where backups are kept; default `<dir>/../.trellis/config-backups`. */
  readonly backupsDir?: string;
  /** How many backups to keep; default that of `SnapshotStore` (20). */
  readonly retain?: number;
  /** Timestamps backups; default the system clock. */
  readonly clock?: Clock;
}

/** The {@link LoadConfigOptions} of a target. */
export function loadOptionsOf(target: ConfigTarget): LoadConfigOptions<z.ZodType> {
  return {
    schema: target.schema,
    dir: target.dir,
    environment: target.environment,
    envFile: target.envFile,
    env: target.env,
    keyring: target.keyring,
    currentVersion: target.currentVersion,
    migrations: target.migrations,
    ignoreEnv: target.ignoreEnv,
  };
}

/** The absolute backups folder of a target: `backupsDir`, else `<dir>/../.trellis/config-backups`. */
export function backupsDirOf(target: ConfigTarget): string {
  return resolve(target.backupsDir ?? join(dirname(resolve(target.dir)), '.trellis', 'config-backups'));
}

/** The snapshot store that holds a target's backups. */
export function backupStoreOf(target: ConfigTarget): SnapshotStore {
  return new SnapshotStore({ dir: backupsDirOf(target), retain: target.retain, clock: target.clock });
}

/** The target's keyring, else the one `TRELLIS_CONFIG_KEYS` / `TRELLIS_CONFIG_KEY_FILE` give. */
export function keyringOf(target: ConfigTarget): Keyring {
  return target.keyring ?? loadKeyring({ env: target.env });
}
