import { schemaAt } from '../schema/schema-walk.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import { flattenLeaves } from '../sources/merge-layers.js';
import type { ConfigTarget } from './config-target.js';
import { loadTargetConfig, unmarkedEncryptedPaths } from './load-target.js';
import { touchesAny } from './redaction.js';

/** One setting as {@link printConfig} lists it. */
export interface ConfigSettingRow {
  /** Dotted path, e.g. `db.pool`. */
  readonly path: string;
  /** JSON text of the resolved value; `[redacted]` for secrets. */
  readonly value: string;
  /** Where the value comes from: `config/default.yaml:3:9`, `env TRELLIS_DB__POOL`, `schema default`... */
  readonly origin: string;
}

/** The origin shown for a value the schema produced at a path it does not declare (a transform, a loose object). */
const UNDECLARED_ORIGIN = 'not declared by the schema';

/**
 * Every resolved setting of a target (each leaf; a list is one leaf), in schema order, with its
 * value as JSON text and its origin. Secrets are `[redacted]`: they are never revealed, and a
 * value stored encrypted is redacted even where the schema does not mark it `secret()`.
 *
 * @throws The errors of `loadConfig` when the configuration does not load.
 * @example
 * ```ts
 * for (const row of await printConfig({ schema, dir: 'config' })) console.log(row.path, row.value);
 * ```
 */
export async function printConfig(target: ConfigTarget): Promise<ConfigSettingRow[]> {
  const config = await loadTargetConfig(target);
  const unmarked = await unmarkedEncryptedPaths(target);
  const value = config.value;
  const leaves =
    typeof value === 'object' && value !== null ? flattenLeaves(value as Record<string, unknown>) : [];
  return [...leaves].map(([path, leaf]) => {
    const hidden = touchesAny(unmarked, path);
    if (!schemaAt(target.schema, path)) {
      // A Secret serialises as "[redacted]" by itself.
      const text = hidden ? REDACTED_TEXT : (JSON.stringify(leaf) ?? 'undefined');
      return { path, value: text, origin: UNDECLARED_ORIGIN };
    }
    const explanation = config.explain(path);
    return {
      path,
      value: hidden ? REDACTED_TEXT : explanation.value,
      origin: explanation.origin,
    };
  });
}
