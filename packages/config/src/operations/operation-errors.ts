import { TrellisError } from '@trellis/core';

/**
 * `encrypt` was given a path that is in the schema but not marked `secret()`. Raised with code
 * `CONFIG_PATH_UNKNOWN`, as for a path that is not in the schema at all: either way it is not a
 * path that can be encrypted.
 */
export class ConfigPathNotSecretError extends TrellisError {
  constructor(path: string, secretPaths: readonly string[]) {
    super('CONFIG_PATH_UNKNOWN', `"${path}" is not a secret field, so it cannot be encrypted.`, {
      fix:
        secretPaths.length > 0
          ? `Encrypt one of the secret fields (${secretPaths.join(', ')}), or mark "${path}" with secret() in the schema.`
          : `The schema has no secret fields; mark "${path}" with secret() in the schema first.`,
      details: { path, secretPaths },
    });
  }
}

/**
 * `diff` was given one config file and one environment name. A file is compared as written
 * (secrets encrypted) and an environment as resolved (secrets decrypted), so the two cannot be
 * compared leaf by leaf.
 */
export class ConfigDiffSourcesError extends TrellisError {
  constructor(file: string, environment: string) {
    super(
      'CONFIG_DIFF_SOURCES_MIXED',
      `Cannot compare the file ${file} (as written) with the environment "${environment}" (as resolved).`,
      {
        fix: 'Compare two config files, or two environment names.',
        details: { file, environment },
      },
    );
  }
}
