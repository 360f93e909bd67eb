import type { TrellisError } from '@trellis/core';
import { disableCycles } from './disable-cycles.js';
import { disableDependents } from './disable-dependents.js';
import type { DisableRecord } from './disable-reasons.js';
import { buildPluginGraph } from './plugin-graph.js';
import { startDependencies } from './start-dependencies.js';
import { computeWaves } from './waves.js';

/** The manifest fields dependency resolution reads. */
export interface ResolvableManifest {
  readonly name: string;
  /** Semver version of the plugin. */
  readonly version: string;
  /** Semver range of the Trellis platform API the plugin supports, e.g. `^0.1.0`. */
  readonly platform: string;
  /** Plugin name → semver range; the plugin is disabled unless each is installed at a matching version. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** Plugin name → semver range; started first when installed at a matching version and enabled. */
  readonly optionalDependencies: Readonly<Record<string, string>>;
}

/** One plugin to resolve: its manifest and where it came from. */
export interface ResolveInput {
  readonly manifest: ResolvableManifest;
  /** The plugin folder or manifest file, as messages should show it (e.g. `plugins/a`). */
  readonly location: string;
}

/** Options of {@link resolvePlugins}. */
export interface ResolvePluginsOptions {
  /** The running Trellis version every `platform` range is checked against (`TRELLIS_VERSION`). */
  readonly platformVersion: string;
}

/**
 * Why a plugin is disabled: its `platform` range excludes this Trellis version; a required
 * dependency is not installed (`missing`) or installed at a version outside the range
 * (`unsatisfied`); it is on a cycle of required dependencies; or a plugin it requires is disabled.
 */
export type PluginDisableCause = 'platform' | 'missing' | 'unsatisfied' | 'cycle' | 'dependency-disabled';

/** A plugin that will not start, and why. */
export interface DisabledPlugin {
  /**
   * The error to show: `PluginPlatformIncompatibleError`, `PluginDependencyMissingError` (both
   * `missing` and `unsatisfied`), `PluginDependencyCycleError` (shared by the members of one cycle)
   * or `PluginDependencyDisabledError`.
   */
  readonly reason: TrellisError;
  readonly cause: PluginDisableCause;
}

/** The outcome of {@link resolvePlugins}. */
export interface ResolutionResult {
  /**
   * Enabled plugins in start waves: every plugin in a wave can start in parallel once the earlier
   * waves have started. A plugin's wave is one more than the highest wave of its enabled required
   * and optional dependencies (0 without any), leaving out optional dependencies that close a
   * cycle (see `warnings`). Each wave is sorted by name.
   */
  readonly waves: readonly (readonly string[])[];
  /** The waves flattened: a valid sequential start order (stop in reverse). */
  readonly order: readonly string[];
  /** Enabled plugins by name. */
  readonly enabled: ReadonlyMap<string, ResolveInput>;
  /** Disabled plugins by name, each with its reason. */
  readonly disabled: ReadonlyMap<string, DisabledPlugin>;
  /** For each enabled plugin, the enabled plugins it starts after (its waves' edges), by name. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Every cycle of required dependencies found, as a closed walk started at its smallest name. */
  readonly cycles: readonly (readonly string[])[];
  /**
   * Things that did not disable anything but deserve a look: a name listed twice (the first is
   * used), an optional dependency installed at a non-matching version (ignored: not waited for),
   * a cycle closed by optional dependencies (those edges are not waited for).
   */
  readonly warnings: readonly string[];
}

/**
 * Works out which plugins can start and in which order.
 *
 * Checks each plugin's `platform` range against `platformVersion`, then its required dependencies
 * (installed, at a version in range; prereleases count), then cycles of required dependencies
 * among the plugins that passed (every member is disabled, with the cycle's full path), then
 * disables, transitively, each plugin that requires a disabled one. A plugin gets the first of
 * these reasons that applies. Optional dependencies never disable anything: missing, disabled or
 * out of range they are simply not waited for.
 *
 * Plugins are numbered in name order first, so the result does not depend on input order. Runs in
 * O(plugins + dependencies) apart from sorting names (10,000 plugins with about 3 dependencies
 * each resolve in a few tens of milliseconds; see docs/benchmarks/discovery.md).
 *
 * @param inputs one entry per plugin; names should be unique (when one repeats, the first is used
 *   and a warning names the others).
 * @example
 * ```ts
 * const result = resolvePlugins(found, { platformVersion: TRELLIS_VERSION });
 * for (const [name, { reason }] of result.disabled) logger.warn(reason.message, { plugin: name });
 * for (const wave of result.waves) await Promise.all(wave.map(start));
 * ```
 * @throws TypeError when `platformVersion` is not a semver version.
 */
export function resolvePlugins(
  inputs: readonly ResolveInput[],
  options: ResolvePluginsOptions,
): ResolutionResult {
  const graph = buildPluginGraph(inputs, options.platformVersion);
  const records: (DisableRecord | undefined)[] = [...graph.problems];
  const cycles = disableCycles(graph, records);
  disableDependents(graph, records);
  const start = startDependencies(graph, records);
  const plan = computeWaves(
    start.dependencies,
    records.map((record) => record === undefined),
  );
  /* c8 ignore next 3 -- required cycles are disabled and optional ones broken before this point */
  if (plan.unplaced.length > 0) {
    throw new Error(`resolvePlugins: plugins left without a wave: ${plan.unplaced.join(', ')}`);
  }

  const name = (node: number) => graph.names[node] as string;
  const waves = plan.waves.map((wave) => wave.map(name));
  const enabled = new Map<string, ResolveInput>();
  const edges = new Map<string, readonly string[]>();
  const disabled = new Map<string, DisabledPlugin>();
  graph.inputs.forEach((input, node) => {
    const record = records[node];
    if (record === undefined) {
      enabled.set(name(node), input);
      edges.set(name(node), (start.dependencies[node] as readonly number[]).map(name));
    } else {
      disabled.set(name(node), { reason: record.reason, cause: record.cause });
    }
  });
  return {
    waves,
    order: waves.flat(),
    enabled,
    disabled,
    edges,
    cycles,
    warnings: [...graph.warnings, ...start.warnings],
  };
}
