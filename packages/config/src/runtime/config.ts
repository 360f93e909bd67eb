import { inspect } from 'node:util';
import {
  type Clock,
  type ConfigReader,
  ConfigValueMissingError,
  type Disposer,
  TrellisError,
  toDisposer,
} from '@trellis/core';
import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import { ConfigInvalidError, ConfigPathUnknownError, ConfigVersionNotFoundError } from '../errors.js';
import type { ConfigProblem } from '../schema/config-problem.js';
import { isSecretPath, schemaAt, touchesSecret } from '../schema/schema-walk.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import { validateConfig } from '../schema/validate-config.js';
import { mergeLayers, setPath } from '../sources/merge-layers.js';
import { CONFIG_LAYERS, formatOrigin, type LayerValues, type Origin } from '../sources/origin.js';
import { type ConfigState, createConfigState } from './config-state.js';
import { type ConfigChangeEntry, diffConfig } from './diff-config.js';

/** The layers read from files and the environment, and problems found while reading them. */
export interface SourceRead {
  readonly layers: readonly LayerValues[];
  readonly problems: readonly ConfigProblem[];
}

/** Sent to {@link Config.onChange} listeners after a change is applied. */
export interface ConfigChangeEvent<T> {
  readonly version: number;
  readonly previousVersion: number;
  /** Leaf paths whose values changed. */
  readonly paths: readonly string[];
  /** The changes, secrets redacted. */
  readonly changes: readonly ConfigChangeEntry[];
  readonly reason: string;
  readonly value: T;
}

/** What `explain(path)` returns. */
export interface ConfigExplanation {
  readonly path: string;
  /** JSON text of the value; `[redacted]` for secrets. */
  readonly value: string;
  readonly secret: boolean;
  /** `defaults`, `file`, `environment-file`, `env-file`, `env` or `override`. */
  readonly layer: Origin['layer'];
  /** `config/default.yaml:3:9`, `env TRELLIS_CACHE__TTL_MS`, `schema default`... */
  readonly origin: string;
}

/** One applied version kept for rollback. */
export interface ConfigHistoryEntry {
  readonly version: number;
  readonly appliedAt: number;
  readonly reason: string;
  readonly checksum: string;
}

/** What {@link Config.reload} did. */
export type ReloadResult =
  | { readonly applied: true; readonly version: number; readonly paths: readonly string[] }
  | { readonly applied: false; readonly reason: 'unchanged' }
  | { readonly applied: false; readonly reason: 'invalid'; readonly error: TrellisError };

/** Options of the {@link Config} constructor; use `loadConfig` rather than calling it directly. */
export interface ConfigInit<T> {
  readonly schema: z.ZodType<T>;
  readonly secretPatterns: readonly string[];
  /** Reads every source layer again; called by `reload()`. */
  readonly readSources: () => Promise<SourceRead>;
  readonly initial: SourceRead;
  readonly clock: Clock;
  /** Applied versions kept for rollback; default 50. */
  readonly historySize?: number;
  /** Keys the secret digests inside {@link Config.checksum}; `loadConfig` derives it from the config keys. */
  readonly checksumKey?: Uint8Array;
}

const OVERRIDE_SOURCE = 'runtime override';

/**
 * A loaded, validated configuration. `value` is the typed, deep-frozen object (a plain property
 * read); `get('a.b')` is one map lookup. Changes (file edits, overrides, rollbacks, remote
 * updates) are validated first and applied atomically, or not at all; listeners hear about the
 * changed paths. Secrets are {@link Secret} values, redacted in every printed form.
 *
 * Implements core's `ConfigReader`, so it can be registered as `CONFIG_READER`.
 */
export class Config<T> implements ConfigReader {
  readonly #schema: z.ZodType<T>;
  readonly #secretPatterns: readonly string[];
  readonly #readSources: () => Promise<SourceRead>;
  readonly #clock: Clock;
  readonly #historySize: number;
  readonly #checksumKey: Uint8Array | undefined;
  readonly #changeListeners = new Set<(event: ConfigChangeEvent<T>) => void>();
  readonly #errorListeners = new Set<(error: TrellisError) => void>();
  #sources: readonly LayerValues[];
  #overrides: Record<string, unknown> = {};
  #overrideOrigins = new Map<string, Origin>();
  #state: ConfigState<T>;
  #history: ConfigState<T>[] = [];
  #nextVersion = 1;
  #reloading: Promise<void> = Promise.resolve();

  constructor(init: ConfigInit<T>) {
    this.#schema = init.schema;
    this.#secretPatterns = init.secretPatterns;
    this.#readSources = init.readSources;
    this.#clock = init.clock;
    this.#historySize = init.historySize ?? 50;
    this.#checksumKey = init.checksumKey;
    this.#sources = init.initial.layers;
    const state = this.#build(init.initial.layers, init.initial.problems, 'load');
    if (state instanceof ConfigInvalidError) throw state;
    this.#state = state;
    this.#history.push(state);
  }

  /** The typed configuration (deep-frozen). */
  get value(): T {
    return this.#state.value;
  }

  /** Applied-version counter of this process. */
  get version(): number {
    return this.#state.version;
  }

  /** Checksum of the current value (secrets as digests); equal configs have equal checksums. */
  get checksum(): string {
    return this.#state.checksum;
  }

  /** The value at a dotted path, or undefined. One map lookup. */
  get<V = unknown>(path: string): V | undefined {
    return this.#state.paths.get(path) as V | undefined;
  }

  /** The value at a dotted path; throws `CONFIG_VALUE_MISSING` when it is not set. */
  require<V = unknown>(path: string): V {
    const value = this.#state.paths.get(path);
    if (value === undefined) throw new ConfigValueMissingError(path);
    return value as V;
  }

  /** True when `path` has a value. */
  has(path: string): boolean {
    return this.#state.paths.get(path) !== undefined;
  }

  /** The value at `path` (redacted if secret), its layer and where it came from. */
  explain(path: string): ConfigExplanation {
    if (!schemaAt(this.#schema, path)) {
      const known = [...this.#state.paths.keys()];
      throw new ConfigPathUnknownError(path, known.length > 0 ? closest(path, known) : undefined);
    }
    const value = this.#state.paths.get(path);
    const secret = isSecretPath(this.#secretPatterns, path);
    const origin = this.#originOf(path);
    const below = origin ? [] : this.#originsUnder(path);
    const hidden = secret || touchesSecret(this.#secretPatterns, path);
    return {
      path,
      value: hidden && value !== undefined ? REDACTED_TEXT : (JSON.stringify(value) ?? 'undefined'),
      secret,
      layer: origin?.layer ?? highestLayer(below) ?? 'defaults',
      origin: origin
        ? formatOrigin(origin)
        : below.length > 0
          ? `${below.length} settings from ${[...new Set(below.map((o) => o.source))].join(', ')} (explain a leaf for each)`
          : value === undefined
            ? 'not set'
            : 'schema default',
    };
  }

  /** Calls `listener` after each applied change. */
  onChange(listener: (event: ConfigChangeEvent<T>) => void): Disposer {
    this.#changeListeners.add(listener);
    return toDisposer(() => this.#changeListeners.delete(listener));
  }

  /** Calls `listener` when a reload or remote update is rejected; the last good config stays. */
  onError(listener: (error: TrellisError) => void): Disposer {
    this.#errorListeners.add(listener);
    return toDisposer(() => this.#errorListeners.delete(listener));
  }

  /**
   * Sets a runtime override (the highest layer), validating the whole config first.
   * @throws {@link ConfigPathUnknownError} for a path not in the schema; {@link ConfigInvalidError} when invalid.
   */
  set(path: string, value: unknown, by = 'api'): ConfigChangeEvent<T> | undefined {
    if (!schemaAt(this.#schema, path)) {
      throw new ConfigPathUnknownError(path, closest(path, [...this.#state.paths.keys()]));
    }
    const overrides = setPath(this.#overrides, path, value) as Record<string, unknown>;
    const origins = new Map(this.#overrideOrigins);
    origins.set(path, { layer: 'override', source: `${OVERRIDE_SOURCE} by ${by}` });
    const next = this.#build(this.#sources, [], 'override', overrides, origins);
    if (next instanceof ConfigInvalidError) throw next;
    this.#overrides = overrides;
    this.#overrideOrigins = origins;
    return this.#commit(next);
  }

  /** Removes every runtime override. */
  clearOverrides(): ConfigChangeEvent<T> | undefined {
    const next = this.#build(this.#sources, [], 'overrides cleared', {}, new Map());
    if (next instanceof ConfigInvalidError) throw next;
    this.#overrides = {};
    this.#overrideOrigins = new Map();
    return this.#commit(next);
  }

  /**
   * Reads every source again and applies the result if it is valid and different. An invalid
   * result is reported to `onError` listeners and returned; the current config stays in force.
   */
  reload(reason = 'reload'): Promise<ReloadResult> {
    // One reload at a time: a slow, older read must not land after a newer one.
    const run = this.#reloading.then(() => this.#reloadNow(reason));
    this.#reloading = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #reloadNow(reason: string): Promise<ReloadResult> {
    let read: SourceRead;
    try {
      read = await this.#readSources();
    } catch (error) {
      return this.#reject(error);
    }
    const next = this.#build(read.layers, read.problems, reason);
    if (next instanceof ConfigInvalidError) return this.#reject(next);
    this.#sources = read.layers;
    if (next.checksum === this.#state.checksum) return { applied: false, reason: 'unchanged' };
    const event = this.#commit(next);
    return { applied: true, version: this.#state.version, paths: event?.paths ?? [] };
  }

  /** Applied versions kept for rollback, oldest first (at most `historySize`). */
  history(): readonly ConfigHistoryEntry[] {
    return this.#history.map(({ version, appliedAt, reason, checksum }) => ({
      version,
      appliedAt,
      reason,
      checksum,
    }));
  }

  /**
   * Applies the configuration of an earlier applied version again (re-validated against the
   * current schema). It stays in force until the next change, like any other.
   */
  rollback(version: number): ConfigChangeEvent<T> | undefined {
    const target = this.#history.find((entry) => entry.version === version);
    if (!target)
      throw new ConfigVersionNotFoundError(
        version,
        this.#history.map((entry) => entry.version),
      );
    const layer: LayerValues = { values: target.raw, origins: target.origins };
    const next = this.#build([layer], [], `rollback to v${version}`, {}, new Map());
    if (next instanceof ConfigInvalidError) throw next;
    this.#overrides = {};
    this.#overrideOrigins = new Map();
    this.#sources = [layer];
    return this.#commit(next);
  }

  /** The value as JSON-ready data; secrets serialise as `[redacted]`. */
  toJSON(): T {
    return this.#state.value;
  }

  /** Secrets stay redacted in `console.log(config)`. */
  [inspect.custom](depth: number, options: object): string {
    return `Config(v${this.#state.version}) ${inspect(this.#state.value, { ...options, depth })}`;
  }

  #build(
    layers: readonly LayerValues[],
    problems: readonly ConfigProblem[],
    reason: string,
    overrides: Record<string, unknown> = this.#overrides,
    overrideOrigins: ReadonlyMap<string, Origin> = this.#overrideOrigins,
  ): ConfigState<T> | ConfigInvalidError {
    const merged = mergeLayers([...layers, { values: overrides, origins: overrideOrigins }]);
    const result = validateConfig<T>({
      schema: this.#schema,
      values: merged.values,
      origins: merged.origins,
      secretPatterns: this.#secretPatterns,
    });
    if (!result.ok || problems.length > 0) {
      return new ConfigInvalidError([...problems, ...(result.ok ? [] : result.problems)]);
    }
    return createConfigState(
      {
        version: this.#nextVersion,
        value: result.value,
        raw: merged.values,
        origins: merged.origins,
        appliedAt: this.#clock.now(),
        reason,
      },
      this.#checksumKey,
    );
  }

  #commit(next: ConfigState<T>): ConfigChangeEvent<T> | undefined {
    const previous = this.#state;
    if (next.checksum === previous.checksum) return undefined;
    const stamped = { ...next, version: ++this.#nextVersion };
    this.#state = stamped;
    this.#history.push(stamped);
    if (this.#history.length > this.#historySize) this.#history.shift();
    const changes = diffConfig(
      previous.value as Record<string, unknown>,
      stamped.value as Record<string, unknown>,
      this.#secretPatterns,
    );
    const event: ConfigChangeEvent<T> = {
      version: stamped.version,
      previousVersion: previous.version,
      paths: changes.map((c) => c.path),
      changes,
      reason: stamped.reason,
      value: stamped.value,
    };
    for (const listener of [...this.#changeListeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#emitError(toTrellisError(error));
      }
    }
    return event;
  }

  #reject(error: unknown): ReloadResult {
    const trellisError = toTrellisError(error);
    this.#emitError(trellisError);
    return { applied: false, reason: 'invalid', error: trellisError };
  }

  #emitError(error: TrellisError): void {
    for (const listener of [...this.#errorListeners]) {
      try {
        listener(error);
      } catch {
        // An error listener must not be able to break the config; there is nowhere left to report.
      }
    }
  }

  #originsUnder(path: string): Origin[] {
    const prefix = `${path}.`;
    return [...this.#state.origins].filter(([key]) => key.startsWith(prefix)).map(([, origin]) => origin);
  }

  #originOf(path: string): Origin | undefined {
    const origins = this.#state.origins;
    const own = origins.get(path);
    if (own) return own;
    const segments = path.split('.');
    for (let i = segments.length - 1; i > 0; i--) {
      const ancestor = origins.get(segments.slice(0, i).join('.'));
      if (ancestor) return ancestor;
    }
    return undefined;
  }
}

function highestLayer(origins: readonly Origin[]): Origin['layer'] | undefined {
  let best: Origin['layer'] | undefined;
  for (const origin of origins) {
    if (best === undefined || CONFIG_LAYERS.indexOf(origin.layer) > CONFIG_LAYERS.indexOf(best))
      best = origin.layer;
  }
  return best;
}

function toTrellisError(error: unknown): TrellisError {
  if (error instanceof TrellisError) return error;
  return new TrellisError(
    'CONFIG_INVALID',
    `Configuration change failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
      fix: 'See the cause; the previous configuration is still in force.',
    },
  );
}
