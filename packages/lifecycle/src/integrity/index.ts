// Plugin signing and verification: an Ed25519 signature over every file of a plugin folder,
// checked against a host's trust policy before the plugin is loaded.

export type { SignatureSummary } from './inspect-signature.js';
export { inspectSignature } from './inspect-signature.js';
export type { FileChanges, IntegrityErrorCode } from './integrity-errors.js';
export {
  INTEGRITY_ERROR_CODES,
  PluginFileTamperedError,
  PluginSignatureInvalidError,
  PluginSigningFailedError,
  PluginUnsignedError,
  SigningKeyInvalidError,
  TrustPolicyInvalidError,
} from './integrity-errors.js';
export type { SignPluginOptions, SignPluginResult } from './sign-plugin.js';
export { signPlugin } from './sign-plugin.js';
export type { PluginSignature } from './signature-file.js';
export { PluginSignatureSchema, SIGNATURE_FILE } from './signature-file.js';
export type { SigningKeyPair } from './signing-key.js';
export { generateSigningKey, keyIdOf } from './signing-key.js';
export type { TrustPolicy, TrustPolicyInput } from './trust-policy.js';
export { parseTrustPolicy, TrustPolicySchema } from './trust-policy.js';
export type { PluginVerification } from './verify-plugin.js';
export { verifyPlugin } from './verify-plugin.js';
