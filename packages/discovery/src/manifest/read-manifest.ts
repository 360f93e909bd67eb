import { join } from 'node:path';
import { parseJsonText } from '@trellis/core';
import { ManifestInvalidError, type ManifestProblem } from '../errors.js';
import { nodeScanFs } from '../scan/scan-fs.js';
import type { DiscoveredManifest } from './manifest-schema.js';
import { checkManifest, joinField, validateManifest } from './validate-manifest.js';

/** The file name of a plugin's own manifest. */
export const PLUGIN_MANIFEST_FILE = 'trellis.plugin.json';

/** Which file a manifest came from: the plugin's own manifest, or its `package.json` `trellis` field. */
export type ManifestSource = typeof PLUGIN_MANIFEST_FILE | 'package.json';

/** A validated manifest and where it was read from. */
export interface FoundManifest {
  /** The manifest, defaults applied. */
  readonly manifest: DiscoveredManifest;
  /** The plugin folder: the folder holding the manifest file. */
  readonly dir: string;
  /** The manifest file: `<dir>/trellis.plugin.json` or `<dir>/package.json`. */
  readonly file: string;
  /** Which of the two files declared the plugin. */
  readonly source: ManifestSource;
}

/** Which manifest files may exist in a folder, as a listing of it showed. */
export interface ManifestCandidates {
  readonly pluginJson: boolean;
  readonly packageJson: boolean;
}

/** Reads a file as UTF-8 text; rejects with the Node errno error when it cannot. */
export type ReadText = (file: string) => Promise<string>;

const EITHER: ManifestCandidates = { pluginJson: true, packageJson: true };
const readUtf8: ReadText = (file) => nodeScanFs.readFile(file);
const INHERITED_FIELDS = ['name', 'version'] as const;

/**
 * Reads and validates the manifest of one plugin folder.
 *
 * `trellis.plugin.json` wins over the `trellis` field of `package.json`. A `trellis` field
 * without `name` or `version` takes them from the `package.json` itself, so an npm package
 * declares them once. A `package.json` without a `trellis` field is not a manifest.
 *
 * @returns The manifest, or undefined when the folder declares no plugin.
 * @throws {@link ManifestInvalidError} when the manifest file cannot be read, is malformed JSON
 *   (with its line and column), or has invalid fields (every one listed, with what was expected).
 * @example
 * ```ts
 * const found = await readManifest('plugins/billing');
 * if (found) console.log(found.manifest.name, found.source);
 * ```
 */
export async function readManifest(dir: string): Promise<FoundManifest | undefined> {
  return readManifestCandidates(dir, EITHER, readUtf8);
}

/**
 * {@link readManifest} for a folder whose listing is already known, so only files that exist are
 * opened; `readText` lets the scanner bound and count reads.
 */
export async function readManifestCandidates(
  dir: string,
  candidates: ManifestCandidates,
  readText: ReadText,
): Promise<FoundManifest | undefined> {
  if (candidates.pluginJson) {
    const file = join(dir, PLUGIN_MANIFEST_FILE);
    const text = await readIfPresent(file, readText);
    if (text !== undefined) {
      return {
        manifest: validateManifest(parseJson(file, text), file),
        dir,
        file,
        source: PLUGIN_MANIFEST_FILE,
      };
    }
  }
  if (!candidates.packageJson) return undefined;
  const file = join(dir, 'package.json');
  const text = await readIfPresent(file, readText);
  // A package.json that never mentions "trellis" cannot have the field; skipping the parse keeps
  // scanning node_modules cheap. (A key spelled with \u escapes is not recognised.)
  if (text === undefined || !text.includes('"trellis"')) return undefined;
  const pkg = parseJson(file, text);
  if (!isObject(pkg) || !Object.hasOwn(pkg, 'trellis')) return undefined;
  return { manifest: validatePackageField(pkg, file), dir, file, source: 'package.json' };
}

function validatePackageField(pkg: Record<string, unknown>, file: string): DiscoveredManifest {
  const field = pkg.trellis;
  if (!isObject(field)) return validateManifest(field, file, { field: 'trellis' });
  const value: Record<string, unknown> = { ...field };
  const inherited = INHERITED_FIELDS.filter((key) => !Object.hasOwn(field, key));
  for (const key of inherited) value[key] = pkg[key];
  const check = checkManifest(value);
  if (check.ok) return check.manifest;
  // An inherited field is fixed in package.json itself, so its problem names the top-level field.
  const problems = check.problems.map((problem) => ({
    ...problem,
    field: (inherited as readonly string[]).includes(problem.field)
      ? problem.field
      : joinField('trellis', problem.field),
  }));
  throw new ManifestInvalidError(file, problems);
}

async function readIfPresent(file: string, readText: ReadText): Promise<string | undefined> {
  try {
    return await readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const problem: ManifestProblem = {
      field: '',
      message: `cannot be read (${code ?? String(error)}); make it a readable file, or remove it`,
    };
    throw new ManifestInvalidError(file, [problem]);
  }
}

function parseJson(file: string, text: string): unknown {
  // Editors on Windows may save a byte order mark, which JSON.parse rejects.
  const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (parsed.ok) return parsed.value;
  const { problem, line, column } = parsed.error;
  throw new ManifestInvalidError(file, [
    { field: '', message: `not valid JSON: ${problem}; fix the syntax at this position`, line, column },
  ]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
