import type { z } from 'zod';
import type { ConfigProblem } from '../schema/config-problem.js';
import { coerceEnvValue } from './coerce-env-value.js';
import { DEFAULT_ENV_PREFIX } from './env-names.js';
import { flattenLeaves, mergeLayers, setPath } from './merge-layers.js';
import { type ConfigLayer, formatOrigin, type LayerValues, type Origin } from './origin.js';
import { resolveEnvPath } from './resolve-env-path.js';

/**
 * Variables that start with the default prefix but configure `@trellis/config` itself (the
 * environment name, the config folder and the secret keys) rather than name a setting, so {@link mapEnvironment}
 * skips them unless told otherwise.
 */
export const DEFAULT_IGNORED_ENV_VARIABLES: readonly string[] = [
  'TRELLIS_ENV',
  'TRELLIS_CONFIG_DIR',
  'TRELLIS_CONFIG_KEYS',
  'TRELLIS_CONFIG_KEY_FILE',
];

/** Options of {@link mapEnvironment}. */
export interface MapEnvironmentOptions {
  /** Only variables starting with this are read; defaults to `TRELLIS_`. */
  readonly prefix?: string;
  /** `env` for the process environment, `env-file` for a `.env` file. */
  readonly layer: Extract<ConfigLayer, 'env' | 'env-file'>;
  /**
   * The origin of a variable; defaults to `{ layer, source: variable }`. For a `.env` file give
   * the file and line, e.g. `(v) => ({ layer: 'env-file', source: '.env', line: entries.get(v)?.line })`.
   */
  readonly source?: (variable: string) => Origin;
  /**
   * The merged values of the layers below. Optional; when given, a variable for a record entry
   * (`TRELLIS_PLUGINS__MY_PLUGIN__ENABLED`) reuses the key those layers spell (`my_plugin`).
   */
  readonly lowerValues?: Readonly<Record<string, unknown>>;
  /** Variables with the prefix that are not settings; defaults to {@link DEFAULT_IGNORED_ENV_VARIABLES}. */
  readonly ignore?: readonly string[];
}

/** The result of {@link mapEnvironment}. */
export interface EnvironmentMapping {
  /** The settings the variables give, with each leaf's origin. */
  readonly layer: LayerValues;
  /** Variables that name no setting or whose value cannot be read as the setting's type. */
  readonly problems: readonly ConfigProblem[];
}

/**
 * Turns environment variables into a config layer. `TRELLIS_CACHE__TTL_MS=5000` sets `cache.ttlMs`
 * to the number 5000: after the prefix, `__` separates path segments, each segment is matched to a
 * schema key (see {@link resolveEnvPath}), and the text is read as the type the schema expects (see
 * {@link coerceEnvValue}).
 *
 * Variables are applied in name order, so `TRELLIS_CACHE__TTL_MS` overrides the same setting inside
 * a JSON `TRELLIS_CACHE`. Problems never show the value of a secret (or of anything inside one).
 *
 * @example
 * ```ts
 * const { layer, problems } = mapEnvironment(process.env, schema, { layer: 'env' });
 * ```
 */
export function mapEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  schema: z.ZodType,
  options: MapEnvironmentOptions,
): EnvironmentMapping {
  const prefix = options.prefix ?? DEFAULT_ENV_PREFIX;
  const ignore = new Set(options.ignore ?? DEFAULT_IGNORED_ENV_VARIABLES);
  const originOf =
    options.source ?? ((variable: string): Origin => ({ layer: options.layer, source: variable }));
  const layers: LayerValues[] = [];
  const problems: ConfigProblem[] = [];

  const variables = Object.keys(env).filter((name) => name.startsWith(prefix) && !ignore.has(name));
  for (const variable of variables.sort()) {
    const text = env[variable];
    if (text === undefined) continue;
    const origin = originOf(variable);
    const target = resolveEnvPath(variable, schema, { prefix, lowerValues: options.lowerValues });
    if (!target.ok) {
      problems.push({ path: target.path, message: target.message, origin: formatOrigin(origin) });
      continue;
    }
    const coerced = coerceEnvValue(text, target.schema);
    if (!coerced.ok) {
      const received = target.secret ? '[redacted]' : quote(text);
      problems.push({
        path: target.path,
        message: `${variable} cannot be read: expected ${coerced.expected}, received ${received}`,
        origin: formatOrigin(origin),
      });
      continue;
    }
    const values = setPath({}, target.path, coerced.value);
    const origins = new Map([...flattenLeaves(values).keys()].map((path) => [path, origin]));
    layers.push({ values, origins });
  }
  return { layer: mergeLayers(layers), problems };
}

/** The text in quotes, shortened when long. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
