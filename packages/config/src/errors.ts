import { describeError, TrellisError } from '@trellis/core';
import type { ConfigProblem } from './schema/config-problem.js';

/** Every error code `@trellis/config` raises; each is documented in `docs/errors.md`. */
export const CONFIG_ERROR_CODES = [
  'CONFIG_INVALID',
  'CONFIG_PARSE_FAILED',
  'CONFIG_ENV_INVALID',
  'CONFIG_PATH_UNKNOWN',
  'CONFIG_SECRET_KEY_MISSING',
  'CONFIG_SECRET_DECRYPT_FAILED',
  'CONFIG_SECRET_KEYRING_INVALID',
  'CONFIG_MIGRATION_FAILED',
  'CONFIG_VERSION_UNSUPPORTED',
  'CONFIG_SNAPSHOT_CORRUPT',
  'CONFIG_SNAPSHOT_NOT_FOUND',
  'CONFIG_VERSION_NOT_FOUND',
  'CONFIG_WRITE_FAILED',
  'CONFIG_DIFF_SOURCES_MIXED',
] as const;

/** A code from {@link CONFIG_ERROR_CODES}. */
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** The resolved configuration does not match its schema; lists every problem with its origin. */
export class ConfigInvalidError extends TrellisError {
  /** Every problem, in path order. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `${p.path || '(root)'}: ${p.message} (from ${p.origin})`);
    super(
      'CONFIG_INVALID',
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${lines.join('\n  - ')}`,
      {
        fix: 'Correct each value at the place named in parentheses; `trellis config explain <path>` shows where a value comes from.',
        details: { problems },
      },
    );
    this.problems = problems;
  }
}

/** A YAML, JSON or .env file is malformed. */
export class ConfigParseError extends TrellisError {
  constructor(file: string, line: number, column: number, problem: string) {
    super('CONFIG_PARSE_FAILED', `${file}:${line}:${column}: ${problem}`, {
      fix: `Fix the syntax at ${file} line ${line}, column ${column}.`,
      details: { file, line, column, problem },
    });
  }
}

/** An environment variable maps to a config path but its value cannot be coerced. */
export class ConfigEnvInvalidError extends TrellisError {
  constructor(variable: string, path: string, expected: string, problem: string) {
    super(
      'CONFIG_ENV_INVALID',
      `Environment variable ${variable} (config path "${path}") ${problem}; expected ${expected}.`,
      {
        fix: `Set ${variable} to ${expected}, or unset it to use the value from the config files.`,
        details: { variable, path, expected },
      },
    );
  }
}

/** A path given to `explain`, `set` or `encrypt` does not exist in the schema. */
export class ConfigPathUnknownError extends TrellisError {
  constructor(path: string, suggestion: string | undefined) {
    super(
      'CONFIG_PATH_UNKNOWN',
      `"${path}" is not a configuration path.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      {
        fix: 'Use a path from the schema; `trellis config print` lists every path.',
        details: { path, suggestion },
      },
    );
  }
}

/** A secret was encrypted with a key id that the keyring does not hold. */
export class SecretKeyMissingError extends TrellisError {
  constructor(keyId: string, path: string, known: readonly string[]) {
    super(
      'CONFIG_SECRET_KEY_MISSING',
      `Secret "${path}" is encrypted with key "${keyId}", which is not loaded (loaded: ${known.join(', ') || 'none'}).`,
      {
        fix: `Provide key "${keyId}" in TRELLIS_CONFIG_KEYS or the key file, or re-encrypt the value with \`trellis config encrypt ${path}\`.`,
        details: { keyId, path, known },
      },
    );
  }
}

/** A secret envelope failed authentication: wrong key, altered ciphertext, or moved to another path. */
export class SecretDecryptError extends TrellisError {
  constructor(keyId: string, path: string, reason: string) {
    super(
      'CONFIG_SECRET_DECRYPT_FAILED',
      `Secret "${path}" could not be decrypted with key "${keyId}": ${reason}.`,
      {
        fix: `Check that key "${keyId}" is the key it was encrypted with and that the value was not copied from another path; re-encrypt it if needed.`,
        details: { keyId, path },
      },
    );
  }
}

/** The key material (env var or key file) is malformed. */
export class SecretKeyringInvalidError extends TrellisError {
  constructor(source: string, problem: string) {
    super('CONFIG_SECRET_KEYRING_INVALID', `Secret keys from ${source} are invalid: ${problem}.`, {
      fix: 'Give keys as "<id>:<base64 of 32 bytes>" separated by commas (the first is active), or a key file {"active": id, "keys": {id: base64}}.',
      details: { source, problem },
    });
  }
}

/** A migration function threw, or produced a document that does not validate. */
export class ConfigMigrationError extends TrellisError {
  constructor(from: number, to: number, cause: unknown) {
    super(
      'CONFIG_MIGRATION_FAILED',
      `Migrating the configuration from version ${from} to ${to} failed: ${describeError(cause)}`,
      {
        cause,
        fix: 'Nothing was written. Fix the migration or the document, then run `trellis config migrate --dry-run` to check.',
        details: { from, to },
      },
    );
  }
}

/** A document's version is newer than this code knows, or no migration path exists. */
export class ConfigVersionUnsupportedError extends TrellisError {
  constructor(found: number, current: number) {
    super(
      'CONFIG_VERSION_UNSUPPORTED',
      `The configuration is version ${found}, but this build supports versions up to ${current} with no migration from ${found}.`,
      {
        fix:
          found > current
            ? 'Upgrade the application, or restore an older configuration backup.'
            : `Add a migration from version ${found}.`,
        details: { found, current },
      },
    );
  }
}

/** A backup snapshot fails its checksum or is truncated. */
export class SnapshotCorruptError extends TrellisError {
  constructor(id: string, file: string, problem: string) {
    super('CONFIG_SNAPSHOT_CORRUPT', `Backup "${id}" (${file}) is corrupt: ${problem}.`, {
      fix: 'Restore another backup (`trellis config history` / the backups folder); this one was not applied.',
      details: { id, file },
    });
  }
}

/** No backup snapshot has the given id. */
export class SnapshotNotFoundError extends TrellisError {
  constructor(id: string, known: readonly string[]) {
    super('CONFIG_SNAPSHOT_NOT_FOUND', `No backup "${id}" exists.`, {
      fix: `Use one of: ${known.slice(-5).join(', ') || '(no backups yet)'}.`,
      details: { id, known },
    });
  }
}

/** Rollback was asked for a version that is not in the applied history. */
export class ConfigVersionNotFoundError extends TrellisError {
  constructor(version: number, available: readonly number[]) {
    super('CONFIG_VERSION_NOT_FOUND', `Applied configuration version ${version} is not in the history.`, {
      fix: `Roll back to one of the kept versions: ${available.join(', ') || '(none)'}.`,
      details: { version, available },
    });
  }
}

/** Writing a config, snapshot or key file failed; the previous file is untouched. */
export class ConfigWriteError extends TrellisError {
  constructor(file: string, cause: unknown) {
    super('CONFIG_WRITE_FAILED', `Could not write ${file}: ${describeError(cause)}`, {
      cause,
      fix: 'Check permissions and free space; the previous file was left as it was.',
      details: { file },
    });
  }
}
