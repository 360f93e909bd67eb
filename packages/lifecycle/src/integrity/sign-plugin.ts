import { sign } from 'node:crypto';
import { join } from 'node:path';
import { atomicWriteFile } from '@trellis/core';
import { ManifestInvalidError } from '@trellis/discovery';
import { findEscapingLink } from '../store/archive/find-escaping-link.js';
import { digestEntries, listSignedEntries } from './hash-plugin-files.js';
import { PluginSigningFailedError, SigningKeyInvalidError } from './integrity-errors.js';
import { type PluginIdentity, readPluginIdentity } from './plugin-identity.js';
import {
  formatSignatureFile,
  SIGNATURE_ALGORITHM,
  SIGNATURE_FILE,
  SIGNATURE_FORMAT,
  type SignedContent,
  signedBytes,
} from './signature-file.js';
import { keyIdOf, loadPrivateKey } from './signing-key.js';

/** Options of {@link signPlugin}. */
export interface SignPluginOptions {
  /** The Ed25519 private key, PKCS#8 PEM (from {@link generateSigningKey}). */
  readonly privateKey: string;
  /**
   * The key id you expect the key to have; signing fails when it differs, which catches signing
   * with the wrong key file. The id written is always the key's own ({@link keyIdOf}).
   */
  readonly keyId?: string;
}

/** What {@link signPlugin} signed. */
export interface SignPluginResult {
  /** The signing key's id. */
  readonly keyId: string;
  /** Files and links covered. */
  readonly files: number;
  /** The signature file written. */
  readonly file: string;
}

/**
 * Signs a plugin folder: writes `trellis.signature.json` to its root, listing the SHA-256 of every
 * file below it (`node_modules` included, a top-level `.git` and the signature file excluded) and
 * the target of every symbolic link, bound to the manifest's name and version and signed with
 * Ed25519. The file is written atomically, so a crash leaves the old signature or the new one.
 *
 * @throws {@link SigningKeyInvalidError} when the key is not an Ed25519 private key, or not the
 *   one `keyId` names.
 * @throws {@link PluginSigningFailedError} when the folder has no valid manifest, or holds a link
 *   leading outside it or a device, FIFO or socket.
 * @example
 * ```ts
 * const { privateKey } = generateSigningKey();
 * await signPlugin('plugins/billing', { privateKey });
 * ```
 */
export async function signPlugin(dir: string, options: SignPluginOptions): Promise<SignPluginResult> {
  const key = loadPrivateKey(options.privateKey);
  const keyId = keyIdOf(key);
  if (options.keyId !== undefined && options.keyId !== keyId) {
    throw new SigningKeyInvalidError(`the private key's id is ${keyId}, not ${options.keyId} as expected`);
  }
  const plugin = await identity(dir);
  const entries = await listSignedEntries(dir, { shipped: true });
  const special = entries.find((entry) => entry.kind === 'other');
  if (special !== undefined) {
    throw new PluginSigningFailedError(
      dir,
      `"${special.path}" is a device, FIFO or socket`,
      'Remove it from the plugin folder; a plugin holds files, folders and links only.',
    );
  }
  const escaping = findEscapingLink(entries);
  if (escaping !== undefined) {
    throw new PluginSigningFailedError(
      dir,
      `the symbolic link "${escaping.path}" leads outside the plugin folder (to ${JSON.stringify(escaping.target)})`,
      'Make the link point inside the plugin folder with a relative target, or replace it with the file it points to.',
    );
  }
  const digests = await digestEntries(entries);
  const content: SignedContent = {
    format: SIGNATURE_FORMAT,
    algorithm: SIGNATURE_ALGORITHM,
    keyId,
    plugin: { name: plugin.name, version: plugin.version },
    files: Object.fromEntries(digests),
  };
  const signature = sign(null, signedBytes(content), key).toString('base64');
  const file = join(dir, SIGNATURE_FILE);
  await atomicWriteFile(file, formatSignatureFile({ ...content, signature }));
  return { keyId, files: digests.size, file };
}

async function identity(dir: string): Promise<PluginIdentity> {
  let found: PluginIdentity | undefined;
  try {
    found = await readPluginIdentity(dir);
  } catch (error) {
    if (!(error instanceof ManifestInvalidError)) throw error;
    throw new PluginSigningFailedError(
      dir,
      `its manifest is invalid: ${error.message}`,
      'Correct the manifest, then sign again.',
      error,
    );
  }
  if (found !== undefined) return found;
  throw new PluginSigningFailedError(
    dir,
    'it has no plugin manifest (trellis.plugin.json, or a package.json with a "trellis" field)',
    'Sign the plugin folder itself, the one holding its manifest.',
  );
}
