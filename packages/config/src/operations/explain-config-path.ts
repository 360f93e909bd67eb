import type { ConfigExplanation } from '../runtime/config.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import type { ConfigTarget } from './config-target.js';
import { loadTargetConfig, unmarkedEncryptedPaths } from './load-target.js';
import { touchesAny } from './redaction.js';

/**
 * Where the value at `path` comes from: its layer, its origin (`config/default.yaml:3:9`,
 * `env TRELLIS_DB__POOL`, `schema default`...) and its value as JSON text. A secret, or anything
 * holding one or stored encrypted, shows as `[redacted]`.
 *
 * @throws `CONFIG_PATH_UNKNOWN` (with a suggestion) when `path` is not in the schema; the errors
 * of `loadConfig` when the configuration does not load.
 * @example
 * ```ts
 * const { origin } = await explainConfigPath({ schema, dir: 'config' }, 'db.pool');
 * ```
 */
export async function explainConfigPath(target: ConfigTarget, path: string): Promise<ConfigExplanation> {
  const config = await loadTargetConfig(target);
  const explanation = config.explain(path);
  if (explanation.secret || explanation.value === 'undefined') return explanation;
  return touchesAny(await unmarkedEncryptedPaths(target), path)
    ? { ...explanation, value: REDACTED_TEXT }
    : explanation;
}
