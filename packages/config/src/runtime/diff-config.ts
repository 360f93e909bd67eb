import { touchesSecret } from '../schema/schema-walk.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import { flattenLeaves } from '../sources/merge-layers.js';

/** One changed leaf between two configurations. */
export interface ConfigChangeEntry {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** JSON text of the old value (`[redacted]` for secrets), absent when added. */
  readonly before?: string;
  /** JSON text of the new value (`[redacted]` for secrets), absent when removed. */
  readonly after?: string;
}

/**
 * Leaf-by-leaf differences between two config values, sorted by path. Values under secret paths
 * are compared but shown as `[redacted]`, so a diff is safe to print.
 */
export function diffConfig(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  secretPatterns: readonly string[] = [],
): ConfigChangeEntry[] {
  const a = flattenLeaves(before);
  const b = flattenLeaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const entries: ConfigChangeEntry[] = [];
  for (const path of paths) {
    const inA = a.has(path);
    const inB = b.has(path);
    const beforeText = inA ? comparable(a.get(path)) : undefined;
    const afterText = inB ? comparable(b.get(path)) : undefined;
    if (beforeText === afterText) continue;
    const secret = touchesSecret(secretPatterns, path);
    const shown = (text: string | undefined) =>
      text === undefined ? undefined : secret ? REDACTED_TEXT : text;
    const kind = !inA ? 'added' : !inB ? 'removed' : 'changed';
    entries.push({
      path,
      kind,
      ...(inA ? { before: shown(beforeText) } : {}),
      ...(inB ? { after: shown(afterText) } : {}),
    });
  }
  return entries;
}

function comparable(value: unknown): string {
  // A Secret serialises as "[redacted]"; compare what it holds instead.
  if (
    value !== null &&
    typeof value === 'object' &&
    'reveal' in value &&
    typeof value.reveal === 'function'
  ) {
    return `secret:${JSON.stringify(value.reveal())}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
