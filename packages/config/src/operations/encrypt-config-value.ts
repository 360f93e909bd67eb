import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigParseError, ConfigPathUnknownError } from '../errors.js';
import { isSecretPath, schemaAt, secretPaths } from '../schema/schema-walk.js';
import { encryptPathInText } from '../secrets/rewrite-secrets.js';
import { didYouMean } from '../sources/did-you-mean.js';
import { configFileFormat } from '../sources/parse-config-text.js';
import { findConfigFile } from '../sources/read-config-file.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { type ConfigTarget, keyringOf } from './config-target.js';
import { ConfigPathNotSecretError } from './operation-errors.js';

/** What to encrypt with {@link encryptConfigValue}. */
export interface EncryptConfigValueOptions {
  /** A secret path of the schema, e.g. `db.password` or `tenants.acme.apiKey`. */
  readonly path: string;
  /** The plaintext. It is never returned, logged or put in an error. */
  readonly value: string;
  /** The file to store it in; default `<dir>/default.yaml` (or the existing `default.yml` / `default.json`). */
  readonly file?: string;
}

/** What {@link encryptConfigValue} wrote: where, and under which key; never the value. */
export interface EncryptedConfigValue {
  /** Absolute path of the file written. */
  readonly file: string;
  /** The path the value was stored at. */
  readonly path: string;
  /** Id of the key that encrypted it: the keyring's active key. */
  readonly keyId: string;
}

/**
 * Encrypts a plaintext value for a secret path under the active key and stores the envelope at
 * that path in a config file, written atomically. In YAML, replacing an existing value keeps
 * every other byte; adding a key re-renders the file with comments kept.
 *
 * @throws {@link ConfigPathUnknownError} (with a suggestion) when `path` is not in the schema, or
 * {@link ConfigPathNotSecretError} (also `CONFIG_PATH_UNKNOWN`) when it is not a secret field;
 * `CONFIG_SECRET_KEYRING_INVALID` when no key is loaded; `CONFIG_PARSE_FAILED` when the file is
 * malformed or not YAML/JSON. Nothing is written then.
 * @example
 * ```ts
 * await encryptConfigValue({ schema, dir: 'config', keyring }, { path: 'db.password', value: password });
 * ```
 */
export async function encryptConfigValue(
  target: ConfigTarget,
  options: EncryptConfigValueOptions,
): Promise<EncryptedConfigValue> {
  const { path, value } = options;
  const patterns = secretPaths(target.schema);
  if (path === '' || !schemaAt(target.schema, path)) {
    throw new ConfigPathUnknownError(path, didYouMean(path, patterns));
  }
  if (!isSecretPath(patterns, path)) throw new ConfigPathNotSecretError(path, patterns);
  const dir = resolve(target.dir);
  const file = resolve(options.file ?? findConfigFile(dir, 'default') ?? join(dir, 'default.yaml'));
  const format = configFileFormat(file);
  if (!format) throw new ConfigParseError(file, 1, 1, 'expected a .yaml, .yml or .json file');
  const keyring = keyringOf(target);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  await writeFileAtomic(file, encryptPathInText(text, format, path, value, keyring, file));
  return { file, path, keyId: keyring.activeKeyId as string };
}
