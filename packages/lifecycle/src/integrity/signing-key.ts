import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { SigningKeyInvalidError } from './integrity-errors.js';

/** An Ed25519 key pair for signing plugins, as PEM text, with the id verifiers know it by. */
export interface SigningKeyPair {
  /** {@link keyIdOf} the public key: what signature files and trust policies name it by. */
  readonly keyId: string;
  /** SPKI PEM: goes into verifiers' trust policies. */
  readonly publicKey: string;
  /** PKCS#8 PEM: kept secret by whoever signs. */
  readonly privateKey: string;
}

/**
 * Makes a new Ed25519 key pair for {@link signPlugin}.
 *
 * @example
 * ```ts
 * const { keyId, publicKey, privateKey } = generateSigningKey();
 * // trust policy: { trustedKeys: { [keyId]: publicKey } }
 * ```
 */
export function generateSigningKey(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

/**
 * The id of a public key: the first 16 hex digits of the SHA-256 of its SPKI DER form, so the id
 * follows from the key and cannot be claimed for another one.
 *
 * @throws {@link SigningKeyInvalidError} when `publicKey` is not an Ed25519 public key.
 */
export function keyIdOf(publicKey: string | KeyObject): string {
  const key = loadPublicKey(publicKey);
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/**
 * Parses an Ed25519 public key (a private key gives its public half).
 *
 * @throws {@link SigningKeyInvalidError} when it is not one.
 */
export function loadPublicKey(key: string | KeyObject): KeyObject {
  let loaded: KeyObject;
  try {
    loaded =
      typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  } catch (error) {
    throw new SigningKeyInvalidError('the public key is not PEM or DER key text', error);
  }
  assertEd25519(loaded);
  return loaded;
}

/**
 * Parses an Ed25519 private key from PKCS#8 PEM.
 *
 * @throws {@link SigningKeyInvalidError} when it is not one.
 */
export function loadPrivateKey(pem: string): KeyObject {
  let loaded: KeyObject;
  try {
    loaded = createPrivateKey(pem);
  } catch (error) {
    throw new SigningKeyInvalidError('the private key is not PEM private key text', error);
  }
  assertEd25519(loaded);
  return loaded;
}

function assertEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyInvalidError(
      `it is an ${key.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 key`,
    );
  }
}
