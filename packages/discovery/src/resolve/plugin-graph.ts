import semver from 'semver';
import {
  type DisableRecord,
  dependencyUnmet,
  platformIncompatible,
  type UnmetDependency,
} from './disable-reasons.js';
import type { ResolveInput } from './resolve-plugins.js';

/**
 * Plugins numbered in name order, with the dependency edges that are installed at a matching
 * version and the problems each plugin has on its own (platform, missing or unsatisfied
 * dependencies). Numbering by name makes every later step deterministic whatever the input order.
 */
export interface PluginGraph {
  /** Plugin names, ascending by UTF-16 code unit; a plugin's number is its position here. */
  readonly names: readonly string[];
  /** The input of each plugin, by number. */
  readonly inputs: readonly ResolveInput[];
  /** Required dependencies installed at a matching version, ascending. */
  readonly required: readonly (readonly number[])[];
  /** Optional dependencies installed at a matching version (and not also required), ascending. */
  readonly optional: readonly (readonly number[])[];
  /** The plugin's own problem, or `undefined` when it passed its checks. */
  readonly problems: readonly (DisableRecord | undefined)[];
  /** Duplicate names and optional dependencies installed at a non-matching version. */
  readonly warnings: readonly string[];
}

/**
 * Numbers the plugins and checks each one's platform range and dependencies.
 *
 * @param platformVersion the running Trellis version that every `platform` range is checked against.
 * @throws TypeError when `platformVersion` is not a semver version.
 */
export function buildPluginGraph(inputs: readonly ResolveInput[], platformVersion: string): PluginGraph {
  const warnings: string[] = [];
  const byName = new Map<string, ResolveInput>();
  for (const input of inputs) {
    const name = input.manifest.name;
    const first = byName.get(name);
    if (first === undefined) byName.set(name, input);
    else
      warnings.push(
        `Plugin "${name}" is listed twice: ${first.location} is used, ${input.location} is ignored.`,
      );
  }
  const names = [...byName.keys()].sort(byCodeUnit);
  const numbers = new Map(names.map((name, i) => [name, i]));
  const sorted = names.map((name) => byName.get(name) as ResolveInput);
  const versions = sorted.map((input) => semver.parse(input.manifest.version));
  const platform = new semver.SemVer(platformVersion);
  const ranges = new RangeCache();

  const required: number[][] = [];
  const optional: number[][] = [];
  const problems: (DisableRecord | undefined)[] = [];
  for (const input of sorted) {
    const { manifest } = input;
    const requiredEdges: number[] = [];
    const unmet: UnmetDependency[] = [];
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      const dependency = numbers.get(name);
      if (dependency === undefined) unmet.push({ name, range });
      else if (!ranges.satisfied(versions[dependency], range))
        unmet.push({ name, range, found: sorted[dependency] });
      else requiredEdges.push(dependency);
    }

    const optionalEdges: number[] = [];
    for (const [name, range] of Object.entries(manifest.optionalDependencies)) {
      const dependency = numbers.get(name);
      if (dependency === undefined || Object.hasOwn(manifest.dependencies, name)) continue;
      if (ranges.satisfied(versions[dependency], range)) optionalEdges.push(dependency);
      else {
        const found = sorted[dependency] as ResolveInput;
        warnings.push(
          `${manifest.name}@${manifest.version} can use ${name}@${range}, found ${name}@${found.manifest.version} ` +
            `at ${found.location}; the optional dependency is ignored.`,
        );
      }
    }

    // Numbers follow name order, so sorting them sorts the edges by name.
    required.push(requiredEdges.sort(ascending));
    optional.push(optionalEdges.sort(ascending));
    if (!ranges.satisfied(platform, manifest.platform))
      problems.push(platformIncompatible(input, platformVersion));
    else if (unmet.length > 0) problems.push(dependencyUnmet(input, unmet.sort(byDependencyName)));
    else problems.push(undefined);
  }
  return { names, inputs: sorted, required, optional, problems, warnings };
}

/**
 * Tests versions against ranges the way `semver.satisfies(version, range, { includePrerelease: true })`
 * does (a plugin built as `1.3.0-dev` meets `^1.2`), parsing each distinct range once: thousands
 * of plugins share a handful of ranges.
 */
class RangeCache {
  // semver re-parses, on every comparison, any version whose options differ from the range's, and
  // its comparators hold versions parsed without `includePrerelease`: with the option, 10,000
  // plugins took 3 times as long to check. For a version without a prerelease tag the option
  // cannot change the outcome, so such versions are tested against ranges parsed without it.
  readonly #releaseRanges = new Map<string, semver.Range | null>();
  readonly #prereleaseRanges = new Map<string, semver.Range | null>();

  /** True when `version` is valid and in `range`; an invalid range is satisfied by nothing. */
  satisfied(version: semver.SemVer | null | undefined, range: string): boolean {
    if (version == null) return false;
    const prerelease = version.prerelease.length > 0;
    const cache = prerelease ? this.#prereleaseRanges : this.#releaseRanges;
    let parsed = cache.get(range);
    if (parsed === undefined) {
      const options = { includePrerelease: prerelease };
      parsed = semver.validRange(range, options) === null ? null : new semver.Range(range, options);
      cache.set(range, parsed);
    }
    return parsed?.test(version) === true;
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byDependencyName(a: UnmetDependency, b: UnmetDependency): number {
  return byCodeUnit(a.name, b.name);
}

function ascending(a: number, b: number): number {
  return a - b;
}
