import { parseJsonText } from '@trellis/core';
import { ConfigParseError, ConfigWriteError } from '../errors.js';
import { isPlainObject } from '../sources/plain-object.js';
import { decryptSecret, encryptSecret, envelopeKeyId, isEnvelope } from './envelope.js';
import type { Keyring } from './keyring.js';
import { mapLeaves } from './map-leaves.js';
import { parseYamlForEdit, type YamlEdit } from './yaml-edit.js';

/** The config file formats whose secrets can be rewritten. */
export type SecretFileFormat = 'yaml' | 'json';

/** Result of {@link rotateSecretsInText}. */
export interface RotateSecretsResult {
  /** The new file text; the input itself when nothing was rotated. */
  readonly text: string;
  /** Paths re-encrypted under the active key, in document order. */
  readonly rotated: readonly string[];
}

/**
 * Re-encrypts every envelope in a config file under `keyring.activeKeyId`, leaving envelopes
 * already under that key as they are. YAML keeps every other byte (comments, quoting, layout);
 * JSON is written back with 2-space indentation.
 *
 * @example
 * ```ts
 * const next = keyring.withKey('k2', Keyring.generateKey(), { activate: true });
 * const { text, rotated } = rotateSecretsInText(yaml, 'yaml', next, 'config/default.yaml');
 * ```
 * @throws ConfigParseError when the file is malformed.
 * @throws SecretKeyMissingError or SecretDecryptError when an envelope does not decrypt at its path.
 */
export function rotateSecretsInText(
  text: string,
  format: SecretFileFormat,
  keyring: Keyring,
  file: string,
): RotateSecretsResult {
  const rotated: string[] = [];
  const rotate = (value: string, path: string) => {
    rotated.push(path);
    return encryptSecret(decryptSecret(value, path, keyring), path, keyring);
  };
  const needsRotation = (value: unknown): value is string =>
    isEnvelope(value) && envelopeKeyId(value) !== keyring.activeKeyId;

  if (format === 'json') {
    if (text.trim() === '') return { text, rotated };
    const updated = mapLeaves(parseJson(text, file), (value, path) =>
      needsRotation(value) ? rotate(value, path) : value,
    );
    return { text: rotated.length === 0 ? text : stringifyJson(updated), rotated };
  }
  const yaml = parseYamlForEdit(text, file);
  const expected = new Map<string, string>();
  for (const site of yaml.scalars()) {
    if (!needsRotation(site.scalar.value)) continue;
    const envelope = rotate(site.scalar.value, site.path);
    if (!yaml.setScalar(site, envelope)) throw cannotWrite(file, site.path);
    expected.set(site.path, envelope);
  }
  return { text: rotated.length === 0 ? text : renderChecked(yaml, expected, file), rotated };
}

/**
 * Encrypts `plaintext` for `path` and stores the envelope at `path` in a config file, creating
 * missing mappings on the way. Replacing an existing YAML scalar keeps every other byte; adding
 * new keys re-renders the YAML (comments kept). JSON is written back with 2-space indentation.
 *
 * @throws ConfigParseError when the file is malformed.
 * @throws ConfigWriteError when `path` is empty or runs through a value that is not a mapping.
 * @throws SecretKeyringInvalidError when the keyring holds no key.
 */
export function encryptPathInText(
  text: string,
  format: SecretFileFormat,
  path: string,
  plaintext: string,
  keyring: Keyring,
  file: string,
): string {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '')) {
    throw new ConfigWriteError(file, new Error(`"${path}" is not a config path`));
  }
  const envelope = encryptSecret(plaintext, path, keyring);
  if (format === 'json') {
    const root = text.trim() === '' ? {} : parseJson(text, file);
    setJsonPath(root, segments, envelope, file);
    return stringifyJson(root);
  }
  const yaml = parseYamlForEdit(text, file);
  for (const site of yaml.scalars()) {
    if (site.path === path && yaml.setScalar(site, envelope))
      return renderChecked(yaml, new Map([[path, envelope]]), file);
  }
  try {
    yaml.document.setIn(segments, envelope);
  } catch (error) {
    throw new ConfigWriteError(file, error);
  }
  return yaml.render({ restructured: true });
}

function parseJson(text: string, file: string): unknown {
  const parsed = parseJsonText(text);
  if (!parsed.ok)
    throw new ConfigParseError(file, parsed.error.line, parsed.error.column, parsed.error.problem);
  return parsed.value;
}

const stringifyJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function cannotWrite(file: string, path: string): ConfigWriteError {
  return new ConfigWriteError(file, new Error(`the value at "${path}" could not be rewritten in place`));
}

/** Renders an in-place YAML edit and re-reads it, so a file that would not read back as intended is never returned. */
function renderChecked(yaml: YamlEdit, expected: ReadonlyMap<string, string>, file: string): string {
  const text = yaml.render();
  const reread = new Map<string, unknown>();
  for (const site of parseYamlForEdit(text, file).scalars()) reread.set(site.path, site.scalar.value);
  for (const [path, value] of expected) if (reread.get(path) !== value) throw cannotWrite(file, path);
  return text;
}

function setJsonPath(root: unknown, segments: readonly string[], value: string, file: string): void {
  let node = root;
  for (const [index, segment] of segments.entries()) {
    const here = segments.slice(0, index).join('.') || '(root)';
    if (!isContainer(node)) {
      throw new ConfigWriteError(
        file,
        new Error(`"${here}" is not an object, so "${segments.join('.')}" cannot be set`),
      );
    }
    if (Array.isArray(node) && !/^\d+$/.test(segment)) {
      throw new ConfigWriteError(file, new Error(`"${here}" is a list, so "${segment}" must be an index`));
    }
    const container = node;
    const last = index === segments.length - 1;
    let child = Object.hasOwn(container, segment) ? container[segment] : undefined;
    if (last || child === undefined || child === null) {
      child = last ? value : {};
      // defineProperty, not assignment: a "__proto__" segment must become a key, not a prototype.
      Object.defineProperty(container, segment, {
        value: child,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    node = child;
  }
}

/** An object or array: something a path segment can index. */
function isContainer(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) || Array.isArray(value);
}
