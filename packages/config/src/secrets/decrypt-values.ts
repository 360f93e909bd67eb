import { isSecretPath } from '../schema/schema-walk.js';
import { isSecret } from '../schema/secret-value.js';
import { decryptSecret, encryptSecret, isEnvelope } from './envelope.js';
import type { Keyring } from './keyring.js';
import { mapRecordLeaves } from './map-leaves.js';

/** Result of {@link decryptValues}. */
export interface DecryptValuesResult {
  /** A copy of the values with every envelope replaced by its plaintext. */
  readonly values: Record<string, unknown>;
  /** Paths whose envelopes were decrypted, in document order. */
  readonly decrypted: readonly string[];
  /**
   * Decrypted paths that the schema does not mark secret (see `secret()`): their plaintext is not wrapped
   * in a `Secret`, so it is not redacted. Worth a warning.
   */
  readonly unmarked: readonly string[];
}

/** Result of {@link encryptPlainSecrets}. */
export interface EncryptPlainSecretsResult {
  /** A copy of the values with every plaintext secret replaced by an envelope. */
  readonly values: Record<string, unknown>;
  /** Paths that were encrypted, in document order. */
  readonly encrypted: readonly string[];
}

/**
 * Decrypts every envelope in a nested object, each with its own dotted path (array indices as
 * segments) as the authenticated path. Envelopes are decrypted wherever they are, since each is
 * bound to its path anyway; those outside `secretPatterns` are reported in `unmarked`.
 *
 * @throws SecretKeyMissingError or SecretDecryptError for the first envelope that cannot be decrypted.
 */
export function decryptValues(
  values: Readonly<Record<string, unknown>>,
  secretPatterns: readonly string[],
  keyring: Keyring,
): DecryptValuesResult {
  const decrypted: string[] = [];
  const unmarked: string[] = [];
  const result = mapRecordLeaves(values, (value, path) => {
    if (!isEnvelope(value)) return value;
    const plaintext = decryptSecret(value, path, keyring);
    decrypted.push(path);
    if (!isSecretPath(secretPatterns, path)) unmarked.push(path);
    return plaintext;
  });
  return { values: result, decrypted, unmarked };
}

/**
 * Encrypts every plaintext string at or under a secret path (and every `Secret` holding a
 * string) under the keyring's active key; envelopes and non-secret values are kept. This is
 * what `trellis config encrypt` does to a whole file.
 *
 * @throws SecretKeyringInvalidError when the keyring holds no key and there is something to encrypt.
 */
export function encryptPlainSecrets(
  values: Readonly<Record<string, unknown>>,
  secretPatterns: readonly string[],
  keyring: Keyring,
): EncryptPlainSecretsResult {
  const encrypted: string[] = [];
  const result = mapRecordLeaves(values, (value, path) => {
    const plaintext = isSecret(value) ? value.reveal() : value;
    if (typeof plaintext !== 'string' || isEnvelope(plaintext) || !isSecretPath(secretPatterns, path))
      return value;
    encrypted.push(path);
    return encryptSecret(plaintext, path, keyring);
  });
  return { values: result, encrypted };
}
