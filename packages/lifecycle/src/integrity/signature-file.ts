import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonText } from '@trellis/core';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { PluginSignatureInvalidError } from './integrity-errors.js';

/** The signature file's name, in the plugin's root folder. */
export const SIGNATURE_FILE = 'trellis.signature.json';

/** The signature file format this version writes and reads. */
export const SIGNATURE_FORMAT = 1;

/** The one signature algorithm this version signs and verifies with. */
export const SIGNATURE_ALGORITHM = 'ed25519';

/** The digest of a symbolic link: its target as stored, not what it points to. */
export const LINK_DIGEST_PREFIX = 'link:';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ED25519_SIGNATURE_BYTES = 64;

/** A path below the plugin folder: `/`-separated, relative, without `.`, `..` or empty segments. */
const FilePath = z
  .string()
  .refine(
    (path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'),
    {
      message: 'expected a relative path with "/" separators and no ".", ".." or empty segments',
    },
  );

const FileDigest = z
  .string()
  .refine((digest) => SHA256_HEX.test(digest) || digest.startsWith(LINK_DIGEST_PREFIX), {
    message: `expected a lowercase SHA-256 hex digest, or "${LINK_DIGEST_PREFIX}<target>" for a symbolic link`,
  });

/** The content of a signature file: what was signed, and the signature. */
export const PluginSignatureSchema = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected the 16 lowercase hex digits of a key id'),
  plugin: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }),
  files: z.record(FilePath, FileDigest),
  signature: z
    .string()
    .refine(
      (text) =>
        /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === ED25519_SIGNATURE_BYTES,
      {
        message: `expected the base64 of a ${ED25519_SIGNATURE_BYTES}-byte Ed25519 signature`,
      },
    ),
});

/** A plugin's signature file, parsed and checked for shape (not yet verified). */
export type PluginSignature = z.output<typeof PluginSignatureSchema>;

/** Everything a signature covers: the signature file without its `signature`. */
export type SignedContent = Omit<PluginSignature, 'signature'>;

/** The bytes a signature is made over: {@link canonicalJson} of the content, as UTF-8. */
export function signedBytes(content: SignedContent): Buffer {
  const { format, algorithm, keyId, plugin, files } = content;
  return Buffer.from(canonicalJson({ format, algorithm, keyId, plugin, files }), 'utf8');
}

/** The text of a signature file: indented for review, with the files in path order. */
export function formatSignatureFile(signature: PluginSignature): string {
  const files = Object.fromEntries(
    Object.entries(signature.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ ...signature, files }, null, 2)}\n`;
}

/**
 * Reads and checks the shape of a plugin's signature file.
 *
 * @returns The signature, or `undefined` when the plugin has no signature file.
 * @throws {@link PluginSignatureInvalidError} naming the file and the first bad field.
 */
export async function readSignatureFile(dir: string): Promise<PluginSignature | undefined> {
  const file = join(dir, SIGNATURE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new PluginSignatureInvalidError(
      file,
      `it cannot be read (${code ?? error})`,
      'Make it a readable file.',
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { problem, line, column } = parsed.error;
    throw new PluginSignatureInvalidError(
      file,
      `it is not valid JSON (${problem} at line ${line}, column ${column})`,
      'Restore the signature file from the signed archive, or sign the plugin again.',
      { line, column },
    );
  }
  return checkSignature(file, parsed.value);
}

function checkSignature(file: string, value: unknown): PluginSignature {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  // Format and algorithm first: a newer format is better reported as such than by its fields.
  if (record.format !== SIGNATURE_FORMAT) {
    throw new PluginSignatureInvalidError(
      file,
      `field "format" is ${JSON.stringify(record.format)}, and this version of Trellis reads format ${SIGNATURE_FORMAT}`,
      'Upgrade Trellis to verify this signature, or sign the plugin again with this version.',
      { field: 'format' },
    );
  }
  if (record.algorithm !== SIGNATURE_ALGORITHM) {
    throw new PluginSignatureInvalidError(
      file,
      `field "algorithm" is ${JSON.stringify(record.algorithm)}, and Trellis verifies "${SIGNATURE_ALGORITHM}" only`,
      'Sign the plugin again with an Ed25519 key (`trellis plugins keygen` makes one).',
      { field: 'algorithm' },
    );
  }
  const result = PluginSignatureSchema.safeParse(value);
  if (result.success) {
    // zod rebuilds records by assignment, which turns a file named "__proto__" into a prototype;
    // the entries JSON.parse made (own properties, whatever their names) are kept instead.
    return { ...result.data, files: Object.fromEntries(Object.entries(record.files as object)) };
  }
  const [issue] = result.error.issues;
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = fieldName([...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])]);
  throw new PluginSignatureInvalidError(
    file,
    `field ${field} is invalid: ${issue?.message ?? 'unexpected value'}`,
    'Restore the signature file from the signed archive, or sign the plugin again.',
    { field },
  );
}

/** `files["lib/a.js"]` rather than `files.lib/a.js`: file names are keys, not field names. */
function fieldName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return '(the whole file)';
  return `"${head}${rest.map((key) => `[${JSON.stringify(key)}]`).join('')}"`;
}
