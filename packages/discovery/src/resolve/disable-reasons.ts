import type { TrellisError } from '@trellis/core';
import {
  type PluginDependencyCycleError,
  PluginDependencyDisabledError,
  PluginDependencyMissingError,
  PluginPlatformIncompatibleError,
} from '../errors.js';
import type { PluginDisableCause, ResolveInput } from './resolve-plugins.js';

/** Why one plugin is disabled, with what its dependents need to explain their own state. */
export interface DisableRecord {
  readonly cause: PluginDisableCause;
  readonly reason: TrellisError;
  /** The plugin whose own problem disabled this one: itself unless `cause` is `dependency-disabled`. */
  readonly root: string;
  /** The root's problem as a phrase that completes `"<root>" is …`, e.g. `in a dependency cycle (a → b → a)`. */
  readonly rootProblem: string;
}

/** One required dependency that is not installed, or installed at a version outside its range. */
export interface UnmetDependency {
  readonly name: string;
  readonly range: string;
  /** The installed plugin of that name, when there is one. */
  readonly found?: ResolveInput;
}

/** A plugin whose `platform` range excludes the running Trellis version. */
export function platformIncompatible(input: ResolveInput, platformVersion: string): DisableRecord {
  const { name, platform } = input.manifest;
  return {
    cause: 'platform',
    reason: new PluginPlatformIncompatibleError(name, platform, platformVersion, input.location),
    root: name,
    rootProblem: `incompatible with Trellis ${platformVersion} (it supports platform ${platform})`,
  };
}

/**
 * A plugin with required dependencies that are not installed (`missing`) or not satisfied
 * (`unsatisfied`): one sentence per dependency, e.g. `b@2.0.0 needs a@^1.2, found a@1.0.0 at
 * plugins/a`. The cause is that of the first unmet dependency.
 *
 * @param unmet the unmet dependencies, at least one, in name order.
 */
export function dependencyUnmet(input: ResolveInput, unmet: readonly UnmetDependency[]): DisableRecord {
  const { name, version } = input.manifest;
  const sentences = unmet.map((dep) => {
    const needs = `${name}@${version} needs ${dep.name}@${dep.range}`;
    return dep.found === undefined
      ? `${needs}, but no plugin "${dep.name}" is installed`
      : `${needs}, found ${dep.name}@${dep.found.manifest.version} at ${dep.found.location}`;
  });
  const explanation = sentences.join('; ');
  return {
    cause: unmet[0]?.found === undefined ? 'missing' : 'unsatisfied',
    reason: new PluginDependencyMissingError(`${explanation}.`, {
      plugin: name,
      location: input.location,
      unmet: unmet.map((dep) => ({
        dependency: dep.name,
        range: dep.range,
        found: dep.found && { version: dep.found.manifest.version, location: dep.found.location },
      })),
    }),
    root: name,
    rootProblem: `missing a dependency (${explanation})`,
  };
}

// Dependents quote a cycle; past a dozen plugins the full path (kept in the cycle's own error)
// stops helping a reader, so they get its start, its end and its size.
const MAX_QUOTED_CYCLE = 13;

/**
 * The disable records of the plugins on one dependency cycle: each shares the cycle's error and
 * the problem text its dependents quote, so a cycle of n plugins costs O(n), not O(n²).
 */
export function inCycle(error: PluginDependencyCycleError): (name: string) => DisableRecord {
  const { cycle } = error;
  const path =
    cycle.length <= MAX_QUOTED_CYCLE
      ? cycle.join(' → ')
      : `${cycle.slice(0, 5).join(' → ')} → … → ${cycle.slice(-2).join(' → ')}, ${cycle.length - 1} plugins`;
  const rootProblem = `in a dependency cycle (${path})`;
  return (name) => ({ cause: 'cycle', reason: error, root: name, rootProblem });
}

/**
 * A plugin that requires a disabled plugin. The reason names the direct dependency and the
 * problem of the plugin that started the chain, so its size does not grow with the chain's length.
 */
export function dependencyDisabled(name: string, dependency: string, because: DisableRecord): DisableRecord {
  const problem =
    because.cause === 'dependency-disabled'
      ? `disabled because "${because.root}" is ${because.rootProblem}`
      : because.rootProblem;
  return {
    cause: 'dependency-disabled',
    reason: new PluginDependencyDisabledError(name, dependency, `${problem}.`),
    root: because.root,
    rootProblem: because.rootProblem,
  };
}
