import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginManifest } from '@trellis/core';
import semver from 'semver';
import { PluginManifestInvalidError } from '../errors.js';

/** A manifest and where it was read from. */
export interface FoundManifest {
  readonly manifest: PluginManifest;
  /** The plugin's folder. */
  readonly dir: string;
  /** The file the manifest came from. */
  readonly file: string;
}

/**
 * Reads a plugin folder's manifest: `trellis.plugin.json`, else the `trellis` field of
 * `package.json`. Returns undefined when the folder has neither (it is not a plugin).
 *
 * This is the reference app's minimal reader; `@trellis/discovery` replaces it with the full
 * zod schema, scanning and dependency resolution.
 *
 * @throws {@link PluginManifestInvalidError} naming the file and every invalid field.
 */
export async function readPluginManifest(dir: string): Promise<FoundManifest | undefined> {
  const own = join(dir, 'trellis.plugin.json');
  const ownText = await readIfExists(own);
  if (ownText !== undefined) return { manifest: validate(own, parseJson(own, ownText)), dir, file: own };
  const pkgFile = join(dir, 'package.json');
  const pkgText = await readIfExists(pkgFile);
  if (pkgText === undefined) return undefined;
  const pkg = parseJson(pkgFile, pkgText) as { trellis?: unknown };
  if (pkg.trellis === undefined) return undefined;
  return { manifest: validate(`${pkgFile} (field "trellis")`, pkg.trellis), dir, file: pkgFile };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PluginManifestInvalidError(file, [`cannot be read: ${(error as Error).message}`]);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PluginManifestInvalidError(file, [`is not valid JSON: ${(error as Error).message}`]);
  }
}

function validate(file: string, value: unknown): PluginManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PluginManifestInvalidError(file, ['must be a JSON object']);
  }
  const m = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof m.name !== 'string' || !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(m.name)) {
    problems.push(`"name" must be an npm-style package name, got ${JSON.stringify(m.name)}`);
  }
  if (typeof m.version !== 'string' || semver.valid(m.version) === null) {
    problems.push(`"version" must be a semver version like "1.2.3", got ${JSON.stringify(m.version)}`);
  }
  if (typeof m.platform !== 'string' || semver.validRange(m.platform) === null) {
    problems.push(`"platform" must be a semver range like "^0.1.0", got ${JSON.stringify(m.platform)}`);
  }
  if (m.main !== undefined && typeof m.main !== 'string') problems.push('"main" must be a string path');
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    const deps = m[field];
    if (deps === undefined) continue;
    if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
      problems.push(`"${field}" must map plugin names to semver ranges`);
      continue;
    }
    for (const [name, range] of Object.entries(deps)) {
      if (typeof range !== 'string' || semver.validRange(range) === null) {
        problems.push(`"${field}.${name}" must be a semver range, got ${JSON.stringify(range)}`);
      }
    }
  }
  if (problems.length > 0) throw new PluginManifestInvalidError(file, problems);
  return m as unknown as PluginManifest;
}
