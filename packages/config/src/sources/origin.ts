/** The configuration layers, lowest precedence first. */
export const CONFIG_LAYERS = ['defaults', 'file', 'environment-file', 'env-file', 'env', 'override'] as const;

/**
 * A layer: schema `defaults` < `file` (`config/default.*`) < `environment-file`
 * (`config/<environment>.*`) < `env-file` (`.env`) < `env` (process environment) < `override`
 * (runtime overrides, e.g. from the admin API).
 */
export type ConfigLayer = (typeof CONFIG_LAYERS)[number];

/** Where one resolved value came from. */
export interface Origin {
  readonly layer: ConfigLayer;
  /** A file path, an environment variable name, or a label such as `schema default`. */
  readonly source: string;
  /** 1-based line in `source` when it is a file. */
  readonly line?: number;
  /** 1-based column in `source` when it is a file. */
  readonly column?: number;
}

/** `config/default.yaml:12:3`, `env TRELLIS_CACHE__TTL_MS`, `schema default`, `override by admin`. */
export function formatOrigin(origin: Origin): string {
  if (origin.layer === 'env') return `env ${origin.source}`;
  if (origin.line === undefined) return origin.source;
  return `${origin.source}:${origin.line}${origin.column === undefined ? '' : `:${origin.column}`}`;
}

/** Values of one layer as a nested object, with the origin of every leaf path. */
export interface LayerValues {
  readonly values: Readonly<Record<string, unknown>>;
  /** Dotted leaf path → origin. An array value is one leaf. */
  readonly origins: ReadonlyMap<string, Origin>;
}
