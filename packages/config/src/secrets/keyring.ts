import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { parseJsonText } from '@trellis/core';
import { ConfigParseError, SecretKeyringInvalidError } from '../errors.js';
import { isPlainObject } from '../sources/plain-object.js';

/** Environment variable holding keys as `<id>:<base64 of 32 bytes>`, comma-separated; the first is active. */
export const KEYS_ENV_VAR = 'TRELLIS_CONFIG_KEYS';

/** Environment variable naming a key file (see {@link Keyring.fromKeyFile}). */
export const KEY_FILE_ENV_VAR = 'TRELLIS_CONFIG_KEY_FILE';

/** Bytes in an AES-256 key. */
export const KEY_BYTES = 32;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_ID_RULE = 'use 1 to 64 of A-Z a-z 0-9 . _ -';
const KEY_FILE_FIELDS = new Set(['active', 'keys']);

/** True when `id` can name a key: 1 to 64 characters from `A-Z a-z 0-9 . _ -`. */
export function isValidKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/** Options of {@link Keyring.withKey}. */
export interface KeyringWithKeyOptions {
  /** Make the new key the one that encrypts new values. Default false (true for an empty keyring). */
  readonly activate?: boolean;
  /** Where the key came from, named in errors. Default `"withKey()"`. */
  readonly source?: string;
}

/** The safe description of a keyring returned by {@link Keyring.toJSON}: ids, never key bytes. */
export interface KeyringDescription {
  readonly activeKeyId: string | undefined;
  readonly ids: readonly string[];
}

/**
 * The AES-256 keys that encrypt and decrypt secret config values, by key id.
 *
 * Immutable: {@link Keyring.withKey} and {@link Keyring.withoutKey} return new keyrings. One key
 * is active and encrypts new values; every loaded key decrypts, so old ids keep working after a
 * rotation until they are retired. Key bytes never appear in `toString`, `toJSON` or
 * `util.inspect`; only {@link Keyring.toKeyFile} writes them, on purpose.
 *
 * @example
 * ```ts
 * const keyring = Keyring.fromEnvValue(`k1:${Keyring.generateKey()}`);
 * const rotated = keyring.withKey('k2', Keyring.generateKey(), { activate: true });
 * ```
 */
export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** Id of the key that encrypts new values; undefined only when the keyring is empty. */
  readonly activeKeyId: string | undefined;
  /** Where the keys came from (`TRELLIS_CONFIG_KEYS`, a key file path...), named in errors. */
  readonly source: string;

  private constructor(keys: ReadonlyMap<string, Buffer>, activeKeyId: string | undefined, source: string) {
    this.#keys = keys;
    this.activeKeyId = activeKeyId;
    this.source = source;
    Object.freeze(this);
  }

  /** A keyring with no keys: it decrypts nothing, and encrypting with it fails naming `source`. */
  static empty(source = `${KEYS_ENV_VAR} / ${KEY_FILE_ENV_VAR} (neither is set)`): Keyring {
    return new Keyring(new Map(), undefined, source);
  }

  /**
   * Parses `"<id>:<base64>,<id2>:<base64>"` (the form of {@link KEYS_ENV_VAR}); the first key is
   * active. Blank entries (a trailing comma) are ignored.
   *
   * @throws SecretKeyringInvalidError naming the entry and the problem, never the key material.
   */
  static fromEnvValue(text: string, source = KEYS_ENV_VAR): Keyring {
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) throw new SecretKeyringInvalidError(source, 'no keys are given');
    const keys = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      const colon = entry.indexOf(':');
      if (colon < 0) {
        throw new SecretKeyringInvalidError(source, `entry ${index + 1} is not "<id>:<base64 key>"`);
      }
      const id = entry.slice(0, colon).trim();
      if (!isValidKeyId(id)) {
        throw new SecretKeyringInvalidError(
          source,
          `entry ${index + 1} has an invalid key id (${KEY_ID_RULE})`,
        );
      }
      if (keys.has(id)) throw new SecretKeyringInvalidError(source, `key id "${id}" is given more than once`);
      keys.set(id, decodeKey(id, entry.slice(colon + 1).trim(), source));
    });
    return new Keyring(keys, keys.keys().next().value, source);
  }

  /**
   * Reads a key file: JSON `{"active": "k2", "keys": {"k1": "<base64>", "k2": "<base64>"}}`.
   * `active` may be left out when the file holds exactly one key.
   *
   * @throws ConfigParseError when the file is not JSON (with line and column).
   * @throws SecretKeyringInvalidError when it cannot be read or does not have that shape.
   */
  static fromKeyFile(path: string): Keyring {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      // Not `instanceof Error`: errors from node:fs may come from another realm (as under Jest).
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
      throw new SecretKeyringInvalidError(path, `the key file cannot be read (${code})`);
    }
    return Keyring.fromKeyFileText(text, path);
  }

  /** Parses the text of a key file; `file` names it in errors. See {@link Keyring.fromKeyFile}. */
  static fromKeyFileText(text: string, file: string): Keyring {
    const parsed = parseJsonText(text);
    if (!parsed.ok)
      throw new ConfigParseError(file, parsed.error.line, parsed.error.column, parsed.error.problem);
    const data = parsed.value;
    const invalid = (problem: string) => new SecretKeyringInvalidError(file, problem);
    if (!isPlainObject(data))
      throw invalid('the key file must be a JSON object {"active": id, "keys": {id: base64}}');
    for (const field of Object.keys(data)) {
      // A field name is echoed only when it looks like an id: a misplaced key must not be printed.
      if (KEY_FILE_FIELDS.has(field)) continue;
      throw invalid(
        `unknown ${isValidKeyId(field) ? `field "${field}"` : 'field'} (expected "active" and "keys")`,
      );
    }
    if (!isPlainObject(data.keys)) throw invalid('"keys" must be an object mapping key ids to base64 keys');
    const keys = new Map<string, Buffer>();
    Object.entries(data.keys).forEach(([id, value], index) => {
      if (!isValidKeyId(id))
        throw invalid(`entry ${index + 1} of "keys" has an invalid key id (${KEY_ID_RULE})`);
      if (typeof value !== 'string') throw invalid(`key "${id}" must be a base64 string`);
      keys.set(id, decodeKey(id, value.trim(), file));
    });
    const { active } = data;
    if (active === undefined) {
      if (keys.size > 1)
        throw invalid(
          `"active" is missing; name the key that encrypts new values (one of ${[...keys.keys()].join(', ')})`,
        );
      return new Keyring(keys, keys.keys().next().value, file);
    }
    if (typeof active !== 'string' || !keys.has(active)) {
      throw invalid(
        `"active" must name one of the keys in "keys" (${[...keys.keys()].join(', ') || 'none'})`,
      );
    }
    return new Keyring(keys, active, file);
  }

  /**
   * A keyring holding the keys of both; `primary`'s active key stays active (`secondary`'s when
   * `primary` is empty). An id in both must hold the same key.
   *
   * @throws SecretKeyringInvalidError when an id holds different keys in the two.
   */
  static combine(primary: Keyring, secondary: Keyring): Keyring {
    if (primary.#keys.size === 0) return secondary;
    if (secondary.#keys.size === 0) return primary;
    const source = `${primary.source} and ${secondary.source}`;
    const keys = new Map(primary.#keys);
    for (const [id, key] of secondary.#keys) {
      const existing = keys.get(id);
      if (existing && !existing.equals(key)) {
        throw new SecretKeyringInvalidError(
          source,
          `key "${id}" is different in ${primary.source} and ${secondary.source}`,
        );
      }
      keys.set(id, key);
    }
    return new Keyring(keys, primary.activeKeyId, source);
  }

  /** A new random key, as base64 of 32 bytes, ready for {@link Keyring.withKey} or the env var. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /** A copy of the key with this id, or undefined when it is not loaded. */
  get(id: string): Buffer | undefined {
    const key = this.#keys.get(id);
    return key && Buffer.from(key);
  }

  /** True when a key with this id is loaded. */
  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /** Loaded key ids, in the order they were added. */
  ids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  /**
   * A keyring that also holds `key` (base64 of 32 bytes, or the bytes) as `id`. Adding an id that
   * is already loaded with the same key only (re)activates it.
   *
   * @throws SecretKeyringInvalidError when the id or key is malformed, or the id is loaded with another key.
   */
  withKey(id: string, key: string | Buffer, options: KeyringWithKeyOptions = {}): Keyring {
    const source = options.source ?? 'withKey()';
    if (!isValidKeyId(id))
      throw new SecretKeyringInvalidError(source, `the key id is invalid (${KEY_ID_RULE})`);
    const bytes =
      typeof key === 'string'
        ? decodeKey(id, key.trim(), source)
        : checkKeyLength(id, Buffer.from(key), source);
    const existing = this.#keys.get(id);
    if (existing && !existing.equals(bytes)) {
      throw new SecretKeyringInvalidError(
        source,
        `key "${id}" is already loaded with different key material; retire it first or choose another id`,
      );
    }
    const keys = new Map(this.#keys).set(id, bytes);
    const active = options.activate || this.activeKeyId === undefined ? id : this.activeKeyId;
    return new Keyring(keys, active, this.source);
  }

  /**
   * A keyring without the key `id` (retiring it: values still encrypted under it stop
   * decrypting). Retiring an id that is not loaded returns this keyring.
   *
   * @throws SecretKeyringInvalidError when `id` is the active key; activate another key first.
   */
  withoutKey(id: string): Keyring {
    if (!this.#keys.has(id)) return this;
    if (id === this.activeKeyId) {
      throw new SecretKeyringInvalidError(
        this.source,
        `key "${id}" is active and cannot be retired; activate another key first`,
      );
    }
    const keys = new Map(this.#keys);
    keys.delete(id);
    return new Keyring(keys, this.activeKeyId, this.source);
  }

  /**
   * The keyring as key file JSON (see {@link Keyring.fromKeyFile}). This text holds the key
   * material: write it with mode 0600 and never log it.
   */
  toKeyFile(): string {
    const keys = Object.fromEntries([...this.#keys].map(([id, key]) => [id, key.toString('base64')]));
    return `${JSON.stringify({ active: this.activeKeyId, keys }, null, 2)}\n`;
  }

  /** Key ids and the active id, never key bytes. */
  toJSON(): KeyringDescription {
    return { activeKeyId: this.activeKeyId, ids: this.ids() };
  }

  /** `Keyring(k1, k2*)`, the active id starred. */
  toString(): string {
    return `Keyring(${this.ids()
      .map((id) => (id === this.activeKeyId ? `${id}*` : id))
      .join(', ')})`;
  }

  /** Same as {@link Keyring.toString}, for `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Options of {@link loadKeyring}. */
export interface LoadKeyringOptions {
  /** Environment to read {@link KEYS_ENV_VAR} and {@link KEY_FILE_ENV_VAR} from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Key file path; takes the place of {@link KEY_FILE_ENV_VAR} when given. */
  readonly keyFile?: string;
}

/**
 * Loads the keyring from {@link KEYS_ENV_VAR} and a key file (`keyFile`, else
 * {@link KEY_FILE_ENV_VAR}), merging both when both are set.
 *
 * When both are set, the first key of {@link KEYS_ENV_VAR} is the active one: the environment
 * is the per-deployment override, as it is for config values. An id present in both must hold
 * the same key. With neither set, the keyring is empty: encrypted values then fail to decrypt
 * naming their key id, and encrypting fails saying no key is configured.
 *
 * @throws SecretKeyringInvalidError or ConfigParseError when a source is malformed.
 */
export function loadKeyring(options: LoadKeyringOptions = {}): Keyring {
  const env = options.env ?? process.env;
  const envText = env[KEYS_ENV_VAR]?.trim();
  const keyFile = options.keyFile ?? (env[KEY_FILE_ENV_VAR]?.trim() || undefined);
  const fromEnv = envText ? Keyring.fromEnvValue(envText, KEYS_ENV_VAR) : undefined;
  const fromFile = keyFile === undefined ? undefined : Keyring.fromKeyFile(keyFile);
  if (fromEnv && fromFile) return Keyring.combine(fromEnv, fromFile);
  return fromEnv ?? fromFile ?? Keyring.empty();
}

function decodeKey(id: string, text: string, source: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64; re-encoding tells us whether any were there.
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new SecretKeyringInvalidError(source, `key "${id}" is not valid base64`);
  }
  return checkKeyLength(id, bytes, source);
}

function checkKeyLength(id: string, bytes: Buffer, source: string): Buffer {
  if (bytes.length !== KEY_BYTES) {
    throw new SecretKeyringInvalidError(
      source,
      `key "${id}" is ${bytes.length} bytes; AES-256 needs exactly ${KEY_BYTES} (make one with Keyring.generateKey())`,
    );
  }
  return bytes;
}
