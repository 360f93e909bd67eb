import { ConfigMigrationError, ConfigVersionUnsupportedError } from '../errors.js';

/** A config document: the parsed content of one config file. */
export type ConfigDocument = Readonly<Record<string, unknown>>;

/**
 * One step of a migration chain: turns a version-`from` document into a version-`to` one.
 * Migrations are pure functions of the document; they must not read the environment.
 */
export interface ConfigMigration {
  readonly from: number;
  readonly to: number;
  /** One line for `migrate --dry-run` output, e.g. "rename cache.ttl to cache.ttlMs". */
  readonly description: string;
  migrate(document: ConfigDocument): ConfigDocument;
}

/** What {@link migrateDocument} did. */
export interface MigrationResult {
  readonly document: ConfigDocument;
  readonly from: number;
  readonly to: number;
  /** The steps applied, in order; empty when the document was current. */
  readonly steps: readonly Pick<ConfigMigration, 'from' | 'to' | 'description'>[];
}

/** The `version` key every config document may carry; a document without one is version 1. */
export const VERSION_KEY = 'version';

/** The version a document declares (1 when it declares none). */
export function documentVersion(document: ConfigDocument): number {
  const version = document[VERSION_KEY];
  return typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : 1;
}

/**
 * Brings a document from its declared `version` forward to `currentVersion` by applying the
 * chain in order. The result carries `version: currentVersion`. Throws
 * {@link ConfigVersionUnsupportedError} when the document is newer than `currentVersion` or a
 * step is missing, and {@link ConfigMigrationError} when a step throws.
 */
export function migrateDocument(
  document: ConfigDocument,
  currentVersion: number,
  migrations: readonly ConfigMigration[],
): MigrationResult {
  const from = documentVersion(document);
  if (from > currentVersion) throw new ConfigVersionUnsupportedError(from, currentVersion);
  let current: ConfigDocument = document;
  let version = from;
  const steps: MigrationResult['steps'][number][] = [];
  while (version < currentVersion) {
    const step = migrations.find((m) => m.from === version);
    if (!step || step.to <= version) throw new ConfigVersionUnsupportedError(version, currentVersion);
    try {
      current = step.migrate(cloneDocument(current));
    } catch (error) {
      throw new ConfigMigrationError(step.from, step.to, error);
    }
    steps.push({ from: step.from, to: step.to, description: step.description });
    version = step.to;
  }
  return {
    document: steps.length > 0 ? { ...current, [VERSION_KEY]: currentVersion } : current,
    from,
    to: version,
    steps,
  };
}

/** The document without its `version` key, as the schema sees it. */
export function withoutVersion(document: ConfigDocument): ConfigDocument {
  if (!(VERSION_KEY in document)) return document;
  const { [VERSION_KEY]: _version, ...rest } = document;
  return rest;
}

/**
 * A deep copy of plain data. Not `structuredClone`: its copies are built in another realm under
 * some runners (Jest), where they stop looking like plain objects to the rest of the pipeline.
 */
function cloneDocument(document: ConfigDocument): ConfigDocument {
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, copy(child)]));
    }
    return value;
  };
  return copy(document) as ConfigDocument;
}
