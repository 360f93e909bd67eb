import { TrellisError } from '@trellis/core';

/** Every error code signing and verification raise; each is documented in `docs/errors.md`. */
export const INTEGRITY_ERROR_CODES = [
  'PLUGIN_UNSIGNED',
  'PLUGIN_SIGNATURE_INVALID',
  'PLUGIN_FILE_TAMPERED',
  'PLUGIN_SIGNING_FAILED',
  'PLUGIN_SIGNING_KEY_INVALID',
  'PLUGIN_TRUST_POLICY_INVALID',
] as const;

/** A code from {@link INTEGRITY_ERROR_CODES}. */
export type IntegrityErrorCode = (typeof INTEGRITY_ERROR_CODES)[number];

/** How a plugin folder differs from its signature; each list is sorted by path. */
export interface FileChanges {
  /** Listed files whose content (or link target) differs. */
  readonly modified: readonly string[];
  /** Listed files that are gone. */
  readonly missing: readonly string[];
  /** Files present but not listed. */
  readonly added: readonly string[];
}

const SIGN_HINT = 'sign it with `trellis plugins sign <folder> --key <private.pem>`';

/** A plugin has no signature file and the trust policy does not allow unsigned plugins. */
export class PluginUnsignedError extends TrellisError {
  constructor(dir: string, signatureFile: string) {
    super('PLUGIN_UNSIGNED', `Plugin ${dir} is not signed: it has no ${signatureFile}.`, {
      fix: `Install the signed build of the plugin, ${SIGN_HINT} with a trusted key, or set "allowUnsigned": true in the trust policy to accept unsigned plugins.`,
      details: { dir, file: signatureFile },
    });
  }
}

/**
 * A plugin's signature file cannot be trusted: malformed (the field is named), an unknown format
 * or algorithm, a key the trust policy does not list, a signature that does not verify, or a
 * manifest whose name or version differ from the signed ones.
 */
export class PluginSignatureInvalidError extends TrellisError {
  constructor(file: string, problem: string, fix: string, details: Readonly<Record<string, unknown>> = {}) {
    super('PLUGIN_SIGNATURE_INVALID', `Signature ${file} is not valid: ${problem}.`, {
      fix,
      details: { file, problem, ...details },
    });
  }
}

/**
 * A signed plugin's files differ from the signed ones. The message names the first file (in path
 * order) and how it differs; `details` lists every `modified`, `missing` and `added` file.
 */
export class PluginFileTamperedError extends TrellisError {
  /** Every difference found. */
  readonly changes: FileChanges;

  constructor(dir: string, changes: FileChanges) {
    const all = [
      ...changes.modified.map((path) => ({ path, how: 'was modified' })),
      ...changes.missing.map((path) => ({ path, how: 'is missing' })),
      ...changes.added.map((path) => ({ path, how: 'was added' })),
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const [first] = all;
    const more = all.length > 1 ? ` (${all.length} files differ in all)` : '';
    super(
      'PLUGIN_FILE_TAMPERED',
      `Plugin ${dir} does not match its signature: "${first?.path}" ${first?.how} since it was signed${more}.`,
      {
        fix: `Reinstall the plugin from its signed archive; if the change is yours and intended, ${SIGN_HINT} again.`,
        details: { dir, ...changes },
      },
    );
    this.changes = changes;
  }
}

/** A plugin folder cannot be signed as it is: no manifest, or an entry a signature cannot cover. */
export class PluginSigningFailedError extends TrellisError {
  constructor(dir: string, problem: string, fix: string, cause?: unknown) {
    super('PLUGIN_SIGNING_FAILED', `Plugin ${dir} cannot be signed: ${problem}.`, {
      fix,
      details: { dir, problem },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** A signing or public key is not a PEM Ed25519 key, or does not match the key id given with it. */
export class SigningKeyInvalidError extends TrellisError {
  constructor(problem: string, cause?: unknown) {
    super('PLUGIN_SIGNING_KEY_INVALID', `Invalid signing key: ${problem}.`, {
      fix: 'Use a key pair made by `trellis plugins keygen` (generateSigningKey): the private key as PKCS#8 PEM to sign, the public key as SPKI PEM to verify.',
      details: { problem },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** A trust policy has invalid fields; every problem is listed with its path. */
export class TrustPolicyInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('PLUGIN_TRUST_POLICY_INVALID', `Invalid plugin trust policy:\n  - ${problems.join('\n  - ')}`, {
      fix: 'Correct each listed field: "trustedKeys" maps each key id to its PEM public key (`trellis plugins keygen` prints both), "allowUnsigned" is true or false.',
      details: { problems },
    });
  }
}
