import { verify } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { compareFileDigests, hasChanges } from './compare-file-digests.js';
import { listSignedEntries } from './hash-plugin-files.js';
import {
  PluginFileTamperedError,
  PluginSignatureInvalidError,
  PluginUnsignedError,
} from './integrity-errors.js';
import { readPluginIdentity } from './plugin-identity.js';
import { type PluginSignature, readSignatureFile, SIGNATURE_FILE, signedBytes } from './signature-file.js';
import { loadPublicKey } from './signing-key.js';
import { parseTrustPolicy, type TrustPolicy, type TrustPolicyInput } from './trust-policy.js';

/** The outcome of {@link verifyPlugin} for a plugin the policy accepts. */
export type PluginVerification =
  | {
      readonly status: 'signed';
      /** The trusted key that signed it. */
      readonly keyId: string;
      /** Files and links the signature covers, all unchanged. */
      readonly files: number;
    }
  | { readonly status: 'unsigned' };

/**
 * Checks a plugin folder against its signature file and a trust policy, before it is loaded.
 *
 * In order: the signature file's shape; its key is trusted; the Ed25519 signature verifies with
 * that key (so the file list itself is authentic); every file and link matches the list, with no
 * file missing or added; and the manifest's name and version are the signed ones. Listed files are
 * hashed as streams, several at a time.
 *
 * @returns `{ status: 'signed', keyId, files }`, or `{ status: 'unsigned' }` when the plugin has no
 *   signature file and the policy allows unsigned plugins.
 * @throws {@link PluginUnsignedError} when there is no signature file and the policy forbids that.
 * @throws {@link PluginSignatureInvalidError} for a malformed signature file, an untrusted key, a
 *   signature that does not verify, or a manifest that differs from the signed name and version.
 * @throws {@link PluginFileTamperedError} naming the first changed file and listing all of them.
 * @throws {@link TrustPolicyInvalidError} when `policy` is invalid.
 * @throws The `ENOENT` error of `fs.access` when `dir` does not exist.
 * @example
 * ```ts
 * const result = await verifyPlugin('store/billing/1.2.0', { trustedKeys: { [keyId]: publicKeyPem } });
 * ```
 */
export async function verifyPlugin(dir: string, policy: TrustPolicyInput): Promise<PluginVerification> {
  const trust = parseTrustPolicy(policy);
  const file = join(dir, SIGNATURE_FILE);
  const signature = await readSignatureFile(dir);
  if (signature === undefined) {
    // A mistyped path has no signature file either; it must fail as missing, not pass as unsigned.
    await access(dir);
    if (trust.allowUnsigned) return { status: 'unsigned' };
    throw new PluginUnsignedError(dir, file);
  }
  verifySignature(file, signature, trust);
  const changes = await compareFileDigests(await listSignedEntries(dir), signature.files);
  if (hasChanges(changes)) throw new PluginFileTamperedError(dir, changes);
  await checkIdentity(dir, file, signature);
  return { status: 'signed', keyId: signature.keyId, files: Object.keys(signature.files).length };
}

function verifySignature(file: string, signature: PluginSignature, trust: TrustPolicy): void {
  const { keyId } = signature;
  if (!Object.hasOwn(trust.trustedKeys, keyId)) {
    const trusted = Object.keys(trust.trustedKeys);
    throw new PluginSignatureInvalidError(
      file,
      `it was made with key ${keyId}, which the trust policy does not trust (trusted keys: ${trusted.length > 0 ? trusted.join(', ') : 'none'})`,
      `If you trust whoever holds key ${keyId}, add their public key to "trustedKeys" under "${keyId}"; otherwise do not install this plugin.`,
      { keyId, trustedKeys: trusted },
    );
  }
  const publicKey = loadPublicKey(trust.trustedKeys[keyId] as string);
  const valid = verify(null, signedBytes(signature), publicKey, Buffer.from(signature.signature, 'base64'));
  if (!valid) {
    throw new PluginSignatureInvalidError(
      file,
      `its signature does not verify with trusted key ${keyId}: the signature file was changed after signing, or was signed with another key`,
      'Reinstall the plugin from its signed archive, or ask its publisher for a correctly signed build.',
      { keyId },
    );
  }
}

async function checkIdentity(dir: string, file: string, signature: PluginSignature): Promise<void> {
  const found = await readPluginIdentity(dir);
  const signed = signature.plugin;
  if (found?.name === signed.name && found.version === signed.version) return;
  const actual = found === undefined ? 'no manifest' : `${found.name}@${found.version}`;
  throw new PluginSignatureInvalidError(
    file,
    `it was signed for ${signed.name}@${signed.version}, but the plugin's manifest says ${actual}`,
    'Sign the plugin again from its manifest with `trellis plugins sign`, or install the build the signature was made for.',
    { signed, ...(found === undefined ? {} : { manifest: found }) },
  );
}
