import type { PluginIsolation } from '@trellis/core';
import { PluginManifestSchema } from '@trellis/discovery';
import semver from 'semver';
import { z } from 'zod';

/** The file name `trellis plugins plan` and `apply` look for by default. */
export const DESIRED_STATE_FILE = 'trellis.plugins.yaml';

/** The fields a plugin entry takes; anything else is a typo and an error. */
export const DESIRED_PLUGIN_FIELDS = ['source', 'version', 'enabled', 'isolation'] as const;

/** The fields the top level of the file takes. */
export const DESIRED_STATE_FIELDS = ['version', 'plugins'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** A zod error parameter: `missing; add …` for an absent field, `expected …, got …` otherwise. */
function expected(what: string, missing = `add ${what}`) {
  return {
    error: (issue: z.core.$ZodRawIssue) =>
      issue.input === undefined ? `missing; ${missing}` : `expected ${what}, got ${describe(issue.input)}`,
  };
}

function notAVersion(input: unknown): string {
  // YAML reads `version: 1.2` as the number 1.2, which surprises people; say so.
  const note = typeof input === 'number' ? ' (YAML read it as a number)' : '';
  return `${describe(input)} is not a version${note}; write an exact version such as 1.2.0`;
}

/**
 * Where a plugin's code runs (core's `PluginIsolation`): the one schema for it in this package,
 * used by desired states, the store's record and plugin policies alike.
 */
export const PluginIsolationSchema = z.enum(
  ['inline', 'worker', 'process'],
  expected('"inline", "worker" or "process"'),
) satisfies z.ZodType<PluginIsolation>;

/** True for a semver version written canonically, build metadata included (`1.2.0+build.5`). */
function isExactVersion(version: string): boolean {
  const parsed = semver.parse(version);
  if (parsed === null) return false;
  const build = parsed.build.length > 0 ? `+${parsed.build.join('.')}` : '';
  return version === `${parsed.version}${build}`;
}

/**
 * An exact semver version in its canonical form (`1.2.0`, `2.0.0-rc.1`, `1.0.0+build.5`): ranges,
 * `v1.2.0` and `1.2` are refused, since the desired state must name one build and compare equal,
 * as text, to the manifest's version.
 */
export const ExactVersionSchema = z
  .string({ error: (issue) => notAVersion(issue.input) })
  .refine(isExactVersion, { error: (issue) => notAVersion(issue.input) });

/** One plugin entry as written under `plugins:`. */
export const DesiredPluginEntrySchema = z
  .strictObject(
    {
      source: z
        .string(expected('a path to a plugin folder or an npm-pack .tgz, relative to this file'))
        .min(1, expected('a path to a plugin folder or an npm-pack .tgz, relative to this file'))
        .optional(),
      version: ExactVersionSchema.optional(),
      enabled: z.boolean(expected('true or false')).default(true),
      isolation: PluginIsolationSchema.optional(),
    },
    expected('a mapping with "source" and/or "version"'),
  )
  .refine((entry) => entry.source !== undefined || entry.version !== undefined, {
    error:
      'give a "source" (a folder or .tgz to install from), a "version" held in the plugin store, or both',
    // A missing source is reported even when another field of the entry is wrong.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

/** A plugin entry as written (before defaults). */
export type DesiredPluginEntryInput = z.input<typeof DesiredPluginEntrySchema>;

/** A plugin entry after validation: `enabled` defaulted, `source` still as written. */
export type DesiredPluginEntry = z.output<typeof DesiredPluginEntrySchema>;

/**
 * The zod schema of `trellis.plugins.yaml`: `version: 1` and a `plugins` mapping from plugin name
 * (npm rules, scoped allowed, as in a manifest) to {@link DesiredPluginEntrySchema}. Strict at
 * every level: an unknown key is most often a typo, and a typo here could uninstall a plugin.
 */
export const DesiredStateFileSchema = z.strictObject(
  {
    version: z.literal(1, expected('1 (the only format version)', 'add "version: 1" at the top of the file')),
    plugins: z.record(PluginManifestSchema.shape.name, DesiredPluginEntrySchema, {
      error: (issue) =>
        issue.input === undefined
          ? 'missing; add "plugins:" with one entry per plugin (write "plugins: {}" for none)'
          : `expected a mapping from plugin names to settings, got ${describe(issue.input)}`,
    }),
  },
  expected('a mapping with "version: 1" and "plugins"'),
);

/** `trellis.plugins.yaml` as written. */
export type DesiredStateFileInput = z.input<typeof DesiredStateFileSchema>;

/** `trellis.plugins.yaml` after validation. */
export type DesiredStateFile = z.output<typeof DesiredStateFileSchema>;

/** A 1-based position in a desired-state file. */
export interface DesiredStatePosition {
  readonly line: number;
  readonly column: number;
}

/** One plugin of the desired state, ready to plan. */
export interface DesiredPlugin extends Readonly<Omit<DesiredPluginEntry, 'source'>> {
  readonly name: string;
  /** Absolute path of the source, resolved against the folder of the desired-state file. */
  readonly source?: string;
  /** The source as written in the file, for messages and plan output. */
  readonly sourceAsWritten?: string;
  /** Where the entry's key sits in the file; absent for a desired state built in code. */
  readonly position?: DesiredStatePosition;
}

/**
 * The parsed desired state: which plugins should be installed, at which version, enabled or not.
 * Plain data, so a caller (or a bench) may also build one in code.
 */
export interface DesiredState {
  /** The file it came from, as the caller named it; used in messages. */
  readonly file: string;
  /** In file order (except that names made only of digits come first, as JavaScript orders object keys). */
  readonly plugins: readonly DesiredPlugin[];
}
