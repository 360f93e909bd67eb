import { join, resolve } from 'node:path';
import { SecretKeyringInvalidError } from '../errors.js';
import { rotateSecretsInText } from '../secrets/rewrite-secrets.js';
import { type ConfigFileFormat, configFileFormat } from '../sources/parse-config-text.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { readConfigFiles } from './config-files.js';
import { backupStoreOf, type ConfigTarget, keyringOf } from './config-target.js';

/** One config file as {@link rotateConfigKey} left it. */
export interface RotatedConfigFile {
  /** Absolute path of the file. */
  readonly file: string;
  /** Paths re-encrypted under the new key, in document order; empty when the file was not changed. */
  readonly rotated: readonly string[];
}

/** What {@link rotateConfigKey} did. */
export interface ConfigKeyRotation {
  /** The key every encrypted value is now under: the keyring's active key. */
  readonly keyId: string;
  /** Every config file in the folder. */
  readonly files: readonly RotatedConfigFile[];
  /** The backup of all config files taken before any was rewritten. */
  readonly backupId: string;
}

/**
 * Re-encrypts every encrypted value in every config file of the target's folder under the
 * keyring's active key (`target.keyring.activeKeyId`, e.g. a keyring from
 * `keyring.withKey('k2', key, { activate: true })`). Values already under that key are left as
 * they are; YAML keeps every other byte.
 *
 * Every file is rotated in memory first, so a value that does not decrypt aborts before anything
 * is written. Then a backup of all config files is saved (label `before rotate-key`) and each
 * changed file is written atomically. Keep the old key loaded until every instance runs with the
 * new one; then retire it.
 *
 * @throws `CONFIG_SECRET_KEYRING_INVALID` when no key is loaded; `CONFIG_SECRET_KEY_MISSING` or
 * `CONFIG_SECRET_DECRYPT_FAILED` when a value cannot be decrypted; `CONFIG_PARSE_FAILED` for a
 * malformed file. Nothing is written then.
 * @example
 * ```ts
 * const keyring = loadKeyring().withKey('k2', Keyring.generateKey(), { activate: true });
 * await rotateConfigKey({ schema, dir: 'config', keyring });
 * ```
 */
export async function rotateConfigKey(target: ConfigTarget): Promise<ConfigKeyRotation> {
  const keyring = keyringOf(target);
  const keyId = keyring.activeKeyId;
  if (keyId === undefined) {
    throw new SecretKeyringInvalidError(keyring.source, 'no key is loaded, so there is no key to rotate to');
  }
  const dir = resolve(target.dir);
  const texts = await readConfigFiles(dir);
  const results = Object.entries(texts).map(([name, text]) => {
    const file = join(dir, name);
    const format = configFileFormat(file) as ConfigFileFormat;
    return { file, ...rotateSecretsInText(text, format, keyring, file) };
  });
  const backup = await backupStoreOf(target).save({
    label: 'before rotate-key',
    files: texts,
    meta: { operation: 'rotate-key', keyId },
  });
  for (const result of results)
    if (result.rotated.length > 0) await writeFileAtomic(result.file, result.text);
  return { keyId, files: results.map(({ file, rotated }) => ({ file, rotated })), backupId: backup.id };
}
