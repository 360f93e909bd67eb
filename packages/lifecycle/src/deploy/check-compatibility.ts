import type { PluginManifest } from '@trellis/core';
import semver from 'semver';

/** A plugin as the compatibility check sees it: its active version and what it depends on. */
export interface InstalledPluginFacts {
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * What stops `manifest` from replacing (or joining) the installed set: a platform range the
 * host's version does not satisfy, a required dependency missing or at a version outside its
 * range, and — the case a downgrade hits — an enabled dependent whose range for this plugin the
 * new version leaves. Each problem names the plugins and the range.
 */
export function checkCompatibility(
  manifest: PluginManifest,
  installed: readonly InstalledPluginFacts[],
  platformVersion: string,
): string[] {
  const problems: string[] = [];
  const range = manifest.platform;
  if (range !== undefined && !semver.satisfies(platformVersion, range, { includePrerelease: true })) {
    problems.push(`it needs Trellis ${range} and this platform is ${platformVersion}`);
  }
  const byName = new Map(installed.map((p) => [p.name, p]));
  for (const [dependency, wanted] of Object.entries(manifest.dependencies ?? {})) {
    const found = byName.get(dependency);
    if (!found) problems.push(`it requires "${dependency}" ${wanted}, which is not installed`);
    else if (!semver.satisfies(found.version, wanted, { includePrerelease: true })) {
      problems.push(`it requires "${dependency}" ${wanted} and ${found.version} is installed`);
    }
  }
  for (const other of installed) {
    if (other.name === manifest.name || !other.enabled) continue;
    const wanted = other.dependencies[manifest.name];
    if (wanted !== undefined && !semver.satisfies(manifest.version, wanted, { includePrerelease: true })) {
      problems.push(
        `"${other.name}" ${other.version} depends on "${manifest.name}" ${wanted}, which ${manifest.version} does not satisfy`,
      );
    }
  }
  return problems;
}
