import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TRELLIS_VERSION, TrellisError } from '@trellis/core';
import { type FoundManifest, resolvePlugins, scanPlugins } from '@trellis/discovery';

/** A dependency as a manifest declares it: the plugin's name and the semver range it accepts. */
export interface PluginDependencyView {
  readonly name: string;
  readonly range: string;
}

/** One plugin of a plugins folder, as discovery and dependency resolution see it before anything runs. */
export interface LocalPluginView {
  readonly name: string;
  readonly version: string;
  /** `resolved`: it would start; `disabled`: resolution refused it (see `disabled`). */
  readonly state: 'resolved' | 'disabled';
  readonly isolation: 'inline' | 'worker' | 'process';
  /** `eager`, or the events that start it lazily (`onRoute:/billing`...). */
  readonly activation: 'eager' | readonly string[];
  /** Its start wave (0 first); -1 when disabled, as in the plugin manager's details. */
  readonly wave: number;
  /** Required dependencies, sorted by name. */
  readonly dependencies: readonly PluginDependencyView[];
  /** Optional dependencies, sorted by name. */
  readonly optionalDependencies: readonly PluginDependencyView[];
  /** Plugins of the folder that declare it as a dependency, required or optional, sorted. */
  readonly dependents: readonly string[];
  /** Capabilities the manifest asks for. */
  readonly permissions: readonly string[];
  /** The plugin folder, absolute. */
  readonly dir: string;
  /** The entry file, relative to `dir`. */
  readonly main: string;
  /** Why it is disabled: the resolution error's code and message. */
  readonly disabled?: { readonly code: string; readonly message: string };
}

/** What {@link inspectLocalPlugins} found in a plugins folder. */
export interface LocalPluginsReport {
  /** Every valid plugin, sorted by name. */
  readonly plugins: readonly LocalPluginView[];
  /** Manifests that are invalid, folders that could not be scanned, names declared twice. */
  readonly problems: readonly { readonly code: string; readonly message: string }[];
  /** Start waves of the resolved plugins; each wave can start in parallel. */
  readonly waves: readonly (readonly string[])[];
  /** Resolution remarks that disable nothing (an optional dependency out of range...). */
  readonly warnings: readonly string[];
}

/** Options of {@link inspectLocalPlugins}. */
export interface InspectLocalPluginsOptions {
  /** The plugins folder: each plugin is a folder directly inside it. */
  readonly dir: string;
  /** The Trellis version `platform` ranges are checked against; default `TRELLIS_VERSION`. */
  readonly platformVersion?: string;
}

/**
 * Scans a plugins folder and resolves its plugins without loading or starting any: what would
 * start, in which wave, and why the others would not. The CLI (`trellis plugins list`) and the
 * admin API both call it, so they report the same thing.
 *
 * Bad manifests are reported in `problems`, never thrown: one broken plugin must not hide the rest.
 *
 * @throws TrellisError `PLUGIN_SCAN_FAILED` when `dir` does not exist or is not a folder: an empty
 *   report would wrongly read as "no plugins installed".
 * @example
 * ```ts
 * const { plugins, problems } = await inspectLocalPlugins({ dir: 'plugins' });
 * for (const p of plugins) console.log(p.name, p.state, p.wave);
 * ```
 */
export async function inspectLocalPlugins(options: InspectLocalPluginsOptions): Promise<LocalPluginsReport> {
  const dir = resolve(options.dir);
  await assertFolder(dir);
  const scan = await scanPlugins({ roots: [dir], maxDepth: 1 });
  const resolution = resolvePlugins(
    scan.plugins.map((found) => ({ manifest: found.manifest, location: found.dir })),
    { platformVersion: options.platformVersion ?? TRELLIS_VERSION },
  );
  const waveOf = new Map<string, number>();
  resolution.waves.forEach((wave, index) => {
    for (const name of wave) waveOf.set(name, index);
  });
  const dependents = dependentsByName(scan.plugins);
  const plugins = scan.plugins.map((found): LocalPluginView => {
    const { manifest } = found;
    const disabled = resolution.disabled.get(manifest.name);
    return {
      name: manifest.name,
      version: manifest.version,
      state: disabled ? 'disabled' : 'resolved',
      isolation: manifest.isolation,
      activation: manifest.activation,
      wave: waveOf.get(manifest.name) ?? -1,
      dependencies: dependencyViews(manifest.dependencies),
      optionalDependencies: dependencyViews(manifest.optionalDependencies),
      dependents: dependents.get(manifest.name) ?? [],
      permissions: manifest.permissions,
      dir: found.dir,
      main: manifest.main,
      ...(disabled ? { disabled: { code: disabled.reason.code, message: disabled.reason.message } } : {}),
    };
  });
  return {
    plugins: plugins.sort((a, b) => compareText(a.name, b.name)),
    problems: scan.problems.map(({ code, message }) => ({ code, message })),
    waves: resolution.waves,
    warnings: resolution.warnings,
  };
}

async function assertFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory()) return;
  // discovery only reports a missing root as a scan problem; here it is the whole question asked.
  throw new TrellisError(
    'PLUGIN_SCAN_FAILED',
    `The plugins folder ${dir} does not exist or is not a folder.`,
    {
      fix: "Pass the folder that holds one folder per plugin (the CLI's --dir, default ./plugins), or run the command where that folder is.",
      details: { path: dir },
    },
  );
}

function dependencyViews(map: Readonly<Record<string, string>>): PluginDependencyView[] {
  return Object.entries(map)
    .map(([name, range]) => ({ name, range }))
    .sort((a, b) => compareText(a.name, b.name));
}

function dependentsByName(found: readonly FoundManifest[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const { manifest } of found) {
    const needs = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.optionalDependencies),
    ]);
    for (const name of needs) result.set(name, [...(result.get(name) ?? []), manifest.name]);
  }
  for (const list of result.values()) list.sort(compareText);
  return result;
}

/** Code-unit order, so output is the same whatever the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
