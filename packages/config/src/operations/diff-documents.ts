import type { ConfigChangeEntry } from '../runtime/diff-config.js';
import { isSecretPath } from '../schema/schema-walk.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import { envelopeKeyId, isEnvelope } from '../secrets/envelope.js';
import { mapRecordLeaves } from '../secrets/map-leaves.js';
import { flattenLeaves } from '../sources/merge-layers.js';

/**
 * A copy of a config document as written in a file that is safe to show: every encrypted value
 * becomes `[encrypted:<keyId>]` and every other value at or under a secret path `[redacted]`.
 */
export function maskDocument(
  document: Readonly<Record<string, unknown>>,
  secretPatterns: readonly string[],
): Record<string, unknown> {
  return mapRecordLeaves(document, (value, path) => {
    if (isEnvelope(value)) return `[encrypted:${envelopeKeyId(value) ?? 'unknown'}]`;
    return isSecretPath(secretPatterns, path) ? REDACTED_TEXT : value;
  });
}

/**
 * Leaf-by-leaf differences between two documents as written in files, sorted by path. Leaves are
 * compared by their text (two encryptions of one value differ), and shown masked
 * ({@link maskDocument}): a masked scalar as its marker, anything else as JSON text.
 */
export function diffDocuments(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  secretPatterns: readonly string[],
): ConfigChangeEntry[] {
  const raw = [flattenLeaves(before), flattenLeaves(after)] as const;
  const shown = [
    flattenLeaves(maskDocument(before, secretPatterns)),
    flattenLeaves(maskDocument(after, secretPatterns)),
  ] as const;
  const text = (side: 0 | 1, path: string): string | undefined => {
    if (!raw[side].has(path)) return undefined;
    const value = raw[side].get(path);
    const masked = shown[side].get(path);
    return masked !== value && typeof masked === 'string' ? masked : JSON.stringify(masked);
  };
  const entries: ConfigChangeEntry[] = [];
  for (const path of [...new Set([...raw[0].keys(), ...raw[1].keys()])].sort()) {
    const [inBefore, inAfter] = [raw[0].has(path), raw[1].has(path)];
    if (inBefore && inAfter && JSON.stringify(raw[0].get(path)) === JSON.stringify(raw[1].get(path)))
      continue;
    entries.push({
      path,
      kind: !inBefore ? 'added' : !inAfter ? 'removed' : 'changed',
      ...(inBefore ? { before: text(0, path) } : {}),
      ...(inAfter ? { after: text(1, path) } : {}),
    });
  }
  return entries;
}
