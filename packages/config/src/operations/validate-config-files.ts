import { resolve } from 'node:path';
import { TrellisError } from '@trellis/core';
import { ConfigInvalidError } from '../errors.js';
import type { ConfigProblem } from '../schema/config-problem.js';
import { flattenLeaves } from '../sources/merge-layers.js';
import type { ConfigTarget } from './config-target.js';
import { loadTargetConfig } from './load-target.js';

/** What {@link validateConfigFiles} found: a valid configuration, or every problem with it. */
export type ConfigValidation =
  | {
      readonly valid: true;
      /** Checksum of the resolved configuration (see `Config.checksum`). */
      readonly checksum: string;
      /** How many settings (leaf values) it resolves. */
      readonly settings: number;
    }
  | {
      readonly valid: false;
      /** The error code: `CONFIG_INVALID`, `CONFIG_PARSE_FAILED`, a secret key error... */
      readonly code: string;
      /** Every problem, with its path and origin; secret values are never shown. */
      readonly problems: readonly ConfigProblem[];
    };

/**
 * Loads a target's configuration from every layer and reports whether it is valid, without
 * throwing for an invalid one: a `CONFIG_INVALID` error gives its problems, any other
 * {@link TrellisError} (a malformed file, a missing key) one problem at the root. A folder that
 * does not exist holds no files, so only the schema defaults and the environment are checked:
 * callers that expect files should check the folder first (the CLI does).
 *
 * @throws Errors that are not a {@link TrellisError}, such as a folder that cannot be read.
 * @example
 * ```ts
 * const result = await validateConfigFiles({ schema, dir: 'config' });
 * if (!result.valid) for (const p of result.problems) console.error(`${p.path}: ${p.message} (${p.origin})`);
 * ```
 */
export async function validateConfigFiles(target: ConfigTarget): Promise<ConfigValidation> {
  try {
    const config = await loadTargetConfig(target);
    const value = config.value;
    const settings =
      typeof value === 'object' && value !== null ? flattenLeaves(value as Record<string, unknown>).size : 1;
    return { valid: true, checksum: config.checksum, settings };
  } catch (error) {
    if (!(error instanceof TrellisError)) throw error;
    return { valid: false, code: error.code, problems: problemsOf(error, resolve(target.dir)) };
  }
}

function problemsOf(error: TrellisError, dir: string): ConfigProblem[] {
  if (error instanceof ConfigInvalidError) return [...error.problems];
  const { file, line, column } = error.details as { file?: unknown; line?: unknown; column?: unknown };
  let origin = dir;
  if (typeof file === 'string') {
    origin = typeof line === 'number' && typeof column === 'number' ? `${file}:${line}:${column}` : file;
  }
  return [{ path: '', message: error.message, origin }];
}
