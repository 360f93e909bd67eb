import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretDecryptError, SecretKeyMissingError, SecretKeyringInvalidError } from '../errors.js';
import { isValidKeyId, type Keyring } from './keyring.js';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ENVELOPE = /^enc:v\d+:/;
const FORMAT = `enc:${VERSION}:<keyId>:<iv>:<tag>:<ciphertext>`;
const UNKNOWN_KEY_ID = '(unknown)';

/** The reason given when GCM authentication fails. */
export const AUTHENTICATION_FAILED =
  'authentication failed (wrong key, altered value, or moved from another path)';

/** The prefix of every envelope this version writes. */
export const ENVELOPE_PREFIX = `enc:${VERSION}:`;

/**
 * True when `value` is an encrypted secret: a string starting `enc:v<n>:`. Anything with that
 * prefix counts, so a damaged envelope fails loudly in {@link decryptSecret} instead of being
 * taken for a plaintext value.
 */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && ENVELOPE.test(value);
}

interface ParsedEnvelope {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

interface EnvelopeProblem {
  readonly problem: string;
  readonly keyId: string;
}

function decodePart(text: string, expectedBytes?: number): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Only the canonical encoding is accepted, so no character of an envelope can change unnoticed.
  if (bytes.toString('base64url') !== text) return undefined;
  return expectedBytes === undefined || bytes.length === expectedBytes ? bytes : undefined;
}

function parseEnvelope(envelope: string): ParsedEnvelope | EnvelopeProblem {
  const parts = envelope.split(':');
  const keyId = parts[2] !== undefined && isValidKeyId(parts[2]) ? parts[2] : UNKNOWN_KEY_ID;
  if (!isEnvelope(envelope)) return { keyId, problem: `expected ${FORMAT}` };
  if (parts[1] !== VERSION)
    return { keyId, problem: `version "${parts[1]}" is not supported (this build reads ${VERSION})` };
  if (parts.length !== 6) return { keyId, problem: `expected ${FORMAT}` };
  const [, , , ivText = '', tagText = '', ciphertextText = ''] = parts;
  if (keyId === UNKNOWN_KEY_ID) return { keyId, problem: 'the key id is invalid' };
  const iv = decodePart(ivText, IV_BYTES);
  if (!iv) return { keyId, problem: `the iv is not ${IV_BYTES} bytes of base64url` };
  const tag = decodePart(tagText, TAG_BYTES);
  if (!tag) return { keyId, problem: `the tag is not ${TAG_BYTES} bytes of base64url` };
  const ciphertext = decodePart(ciphertextText);
  if (!ciphertext) return { keyId, problem: 'the ciphertext is not base64url' };
  return { keyId, iv, tag, ciphertext };
}

/** The key id an envelope was encrypted with, or undefined when `envelope` is not a well-formed v1 envelope. */
export function envelopeKeyId(envelope: string): string | undefined {
  const parsed = parseEnvelope(envelope);
  return 'problem' in parsed ? undefined : parsed.keyId;
}

const additionalData = (path: string) => Buffer.from(`trellis-config:${VERSION}:${path}`, 'utf8');

/**
 * Encrypts `plaintext` for config path `path` under the keyring's active key, as
 * `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (AES-256-GCM, random 12-byte iv, base64url parts).
 * The path is authenticated, so the envelope only decrypts at the same path.
 *
 * The plaintext is encoded as UTF-8; a lone surrogate (not valid Unicode) becomes U+FFFD.
 *
 * @throws SecretKeyringInvalidError when the keyring holds no key.
 */
export function encryptSecret(plaintext: string, path: string, keyring: Keyring): string {
  const keyId = keyring.activeKeyId;
  const key = keyId === undefined ? undefined : keyring.get(keyId);
  if (keyId === undefined || !key) {
    throw new SecretKeyringInvalidError(keyring.source, `no key is loaded, so "${path}" cannot be encrypted`);
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  key.fill(0);
  cipher.setAAD(additionalData(path));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((bytes) => bytes.toString('base64url'));
  return `${ENVELOPE_PREFIX}${keyId}:${parts.join(':')}`;
}

/**
 * Decrypts an envelope made by {@link encryptSecret} for the same `path`. Never returns
 * anything but the original plaintext.
 *
 * @throws SecretKeyMissingError when the envelope's key id is not loaded (lists the loaded ids).
 * @throws SecretDecryptError when authentication fails (wrong key, altered value, other path)
 * or the envelope is malformed.
 */
export function decryptSecret(envelope: string, path: string, keyring: Keyring): string {
  const parsed = parseEnvelope(envelope);
  if ('problem' in parsed)
    throw new SecretDecryptError(parsed.keyId, path, `malformed envelope: ${parsed.problem}`);
  const key = keyring.get(parsed.keyId);
  if (!key) throw new SecretKeyMissingError(parsed.keyId, path, keyring.ids());
  const decipher = createDecipheriv(ALGORITHM, key, parsed.iv, { authTagLength: TAG_BYTES });
  key.fill(0);
  decipher.setAAD(additionalData(path));
  decipher.setAuthTag(parsed.tag);
  try {
    // update() output is unauthenticated until final() succeeds; on failure it is discarded.
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptError(parsed.keyId, path, AUTHENTICATION_FAILED);
  }
}
