import { hkdfSync } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { type Clock, systemClock } from '@trellis/core';
import type { z } from 'zod';
import type { ConfigProblem } from '../schema/config-problem.js';
import { secretPaths } from '../schema/schema-walk.js';
import { decryptValues } from '../secrets/decrypt-values.js';
import { type Keyring, loadKeyring } from '../secrets/keyring.js';
import { DEFAULT_IGNORED_ENV_VARIABLES, mapEnvironment } from '../sources/env-mapping.js';
import { mergeLayers } from '../sources/merge-layers.js';
import type { LayerValues, Origin } from '../sources/origin.js';
import { findConfigFile, readConfigFile } from '../sources/read-config-file.js';
import { readEnvFile } from '../sources/read-env-file.js';
import { type ConfigMigration, migrateDocument, withoutVersion } from '../versions/migrations.js';
import { Config, type SourceRead } from './config.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions<S extends z.ZodType> {
  /** The schema; see `composeConfigSchema` for a platform with modules and plugins. */
  readonly schema: S;
  /** Folder holding `default.(yaml|json)` and `<environment>.(yaml|json)`; default `./config`. */
  readonly dir?: string;
  /** Selects `<environment>.(yaml|json)`; default `TRELLIS_ENV`, then `NODE_ENV`, then `development`. */
  readonly environment?: string;
  /** A `.env`-style file, or false for none; default `.env` beside the config folder, when present. */
  readonly envFile?: string | false;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of variables that set config; default `TRELLIS_`. */
  readonly prefix?: string;
  /**
   * Prefixed variables that are not settings (the app's own bootstrap variables, e.g.
   * `TRELLIS_PLUGINS_DIR`); they are skipped instead of reported as unknown. The library's own
   * (`TRELLIS_ENV`, `TRELLIS_CONFIG_DIR`, `TRELLIS_CONFIG_KEYS`, `TRELLIS_CONFIG_KEY_FILE`) always are.
   */
  readonly ignoreEnv?: readonly string[];
  /** Keys for encrypted secrets; default from `TRELLIS_CONFIG_KEYS` / `TRELLIS_CONFIG_KEY_FILE`. */
  readonly keyring?: Keyring;
  /** The document version this code expects; default 1. */
  readonly currentVersion?: number;
  /** Steps that bring older documents forward (applied in memory; `migrate` writes them). */
  readonly migrations?: readonly ConfigMigration[];
  /** Applied versions kept for rollback; default 50. */
  readonly historySize?: number;
  readonly clock?: Clock;
}

/** The resolved file locations a loader reads (for watching and for the CLI). */
export interface ConfigSourcePaths {
  readonly dir: string;
  readonly environment: string;
  readonly envFile: string | undefined;
}

/** Where {@link loadConfig} reads from, with defaults applied. */
export function resolveSourcePaths(options: LoadConfigOptions<z.ZodType>): ConfigSourcePaths {
  const env = options.env ?? process.env;
  const dir = resolve(options.dir ?? 'config');
  const environment = options.environment ?? env.TRELLIS_ENV ?? env.NODE_ENV ?? 'development';
  const envFile =
    options.envFile === false ? undefined : resolve(options.envFile ?? join(dirname(dir), '.env'));
  return { dir, environment, envFile };
}

/**
 * Loads configuration from every layer — schema defaults < `default.*` < `<environment>.*` <
 * `.env` < environment variables < runtime overrides — migrates old documents, decrypts secrets,
 * validates the whole, and returns a {@link Config}.
 *
 * @throws `CONFIG_INVALID` listing every problem with its origin, `CONFIG_PARSE_FAILED` with
 * file:line:column, or a secret key error naming the key id.
 */
export async function loadConfig<S extends z.ZodType>(
  options: LoadConfigOptions<S>,
): Promise<Config<z.output<S>>> {
  const keyring = options.keyring ?? loadKeyring({ env: options.env ?? process.env });
  const readSources = createSourceReader({ ...options, keyring });
  const active = keyring.activeKeyId === undefined ? undefined : keyring.get(keyring.activeKeyId);
  return new Config<z.output<S>>({
    // Secret digests in the checksum are keyed by a key derived from the config key, never the key itself.
    checksumKey: active
      ? new Uint8Array(hkdfSync('sha256', active, new Uint8Array(0), 'trellis-config-checksum', 32))
      : undefined,
    schema: options.schema as z.ZodType<z.output<S>>,
    secretPatterns: secretPaths(options.schema),
    readSources,
    initial: await readSources(),
    clock: options.clock ?? systemClock,
    historySize: options.historySize,
  });
}

/** A function that reads every source layer of `options` afresh; `Config.reload()` calls it. */
export function createSourceReader(options: LoadConfigOptions<z.ZodType>): () => Promise<SourceRead> {
  const paths = resolveSourcePaths(options);
  const env = options.env ?? process.env;
  const patterns = secretPaths(options.schema);
  const prefix = options.prefix ?? 'TRELLIS_';
  const ignore = [...DEFAULT_IGNORED_ENV_VARIABLES, ...(options.ignoreEnv ?? [])];
  let keyring = options.keyring;
  return async () => {
    keyring ??= await loadKeyring({ env });
    const layers: LayerValues[] = [];
    const problems: ConfigProblem[] = [];
    for (const [basename, layer] of [
      ['default', 'file'],
      [paths.environment, 'environment-file'],
    ] as const) {
      const file = findConfigFile(paths.dir, basename);
      if (!file) continue;
      const read = await readConfigFile(file, layer);
      if (!read) continue;
      // Decrypt first: an envelope is bound to the path it was written at, which a migration may move.
      const decrypted = decryptValues(read.values, patterns, keyring).values;
      const migrated = migrateDocument(decrypted, options.currentVersion ?? 1, options.migrations ?? []);
      const values = withoutVersion(migrated.document) as Record<string, unknown>;
      const origins =
        migrated.steps.length === 0
          ? read.origins
          : relabel(values, { layer, source: `${file} (migrated from v${migrated.from})` });
      layers.push({ values, origins: withoutVersionOrigin(origins) });
    }
    // Record keys in variables take the spelling the files use (`MY_PLUGIN` → `my_plugin`).
    const lowerValues = mergeLayers(layers).values;
    if (paths.envFile) {
      const entries = await readEnvFile(paths.envFile);
      if (entries) {
        const file = paths.envFile;
        const mapped = mapEnvironment(
          Object.fromEntries([...entries].map(([key, entry]) => [key, entry.value])),
          options.schema,
          {
            prefix,
            ignore,
            lowerValues,
            layer: 'env-file',
            source: (variable) => ({ layer: 'env-file', source: file, line: entries.get(variable)?.line }),
          },
        );
        layers.push(mapped.layer);
        problems.push(...mapped.problems);
      }
    }
    const fromEnv = mapEnvironment(env, options.schema, { prefix, ignore, layer: 'env', lowerValues });
    layers.push(fromEnv.layer);
    problems.push(...fromEnv.problems);
    return { layers, problems };
  };
}

function withoutVersionOrigin(origins: ReadonlyMap<string, Origin>): ReadonlyMap<string, Origin> {
  if (!origins.has('version')) return origins;
  const copy = new Map(origins);
  copy.delete('version');
  return copy;
}

function relabel(values: Readonly<Record<string, unknown>>, origin: Origin): Map<string, Origin> {
  const origins = new Map<string, Origin>();
  const visit = (node: unknown, path: string) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key);
    } else if (path) {
      origins.set(path, origin);
    }
  };
  visit(values, '');
  return origins;
}
