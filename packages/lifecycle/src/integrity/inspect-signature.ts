import { join } from 'node:path';
import { readSignatureFile, SIGNATURE_FILE } from './signature-file.js';

/** What a plugin's signature file claims, before any key or file is checked. */
export interface SignatureSummary {
  /** The signature file. */
  readonly file: string;
  readonly format: number;
  readonly algorithm: string;
  /** The id of the key it says signed it. */
  readonly keyId: string;
  /** The plugin name and version it was signed for. */
  readonly plugin: { readonly name: string; readonly version: string };
  /** Files and links it lists. */
  readonly files: number;
}

/**
 * Reads what a plugin's signature file says, without a trust policy: for `trellis plugins verify`
 * to show who signed what, next to {@link verifyPlugin}'s verdict.
 *
 * @returns The summary, or `undefined` when the plugin has no signature file.
 * @throws {@link PluginSignatureInvalidError} when the signature file is malformed.
 */
export async function inspectSignature(dir: string): Promise<SignatureSummary | undefined> {
  const signature = await readSignatureFile(dir);
  if (signature === undefined) return undefined;
  const { format, algorithm, keyId, plugin } = signature;
  return {
    file: join(dir, SIGNATURE_FILE),
    format,
    algorithm,
    keyId,
    plugin,
    files: Object.keys(signature.files).length,
  };
}
