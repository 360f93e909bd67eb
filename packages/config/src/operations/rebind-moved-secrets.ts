import { decryptSecret, encryptSecret, isEnvelope } from '../secrets/envelope.js';
import type { Keyring } from '../secrets/keyring.js';
import { mapLeaves, mapRecordLeaves } from '../secrets/map-leaves.js';
import type { ConfigDocument } from '../versions/migrations.js';

/**
 * A migrated document whose encrypted values still decrypt. An envelope is bound to its path, so
 * a migration that moves one (renaming `db.pass` to `db.password`) leaves a value that no longer
 * decrypts; each moved envelope is decrypted at its old path and encrypted again at its new one.
 * `keyring` is called only when something moved.
 *
 * @throws SecretKeyMissingError or SecretDecryptError when a moved value cannot be decrypted;
 * SecretKeyringInvalidError when the keyring has no active key.
 */
export function rebindMovedSecrets(
  before: ConfigDocument,
  after: ConfigDocument,
  keyring: () => Keyring,
): ConfigDocument {
  const pathOf = new Map<string, string>();
  mapLeaves(before, (value, path) => {
    if (isEnvelope(value) && !pathOf.has(value)) pathOf.set(value, path);
    return value;
  });
  return mapRecordLeaves(after, (value, path) => {
    const from = isEnvelope(value) ? pathOf.get(value) : undefined;
    if (from === undefined || from === path) return value;
    const keys = keyring();
    return encryptSecret(decryptSecret(value as string, from, keys), path, keys);
  });
}
