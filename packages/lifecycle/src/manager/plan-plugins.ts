import { TRELLIS_VERSION } from '@trellis/core';
import { resolvePlugins } from '@trellis/discovery';
import type { ManagedPlugin } from './managed-plugin.js';
import { invertEdges } from './plugin-graph.js';
import {
  type HookTimeouts,
  HookTimeoutsSchema,
  type ManagedPluginInput,
  type PluginPolicy,
} from './plugin-manager-options.js';

/** The plugins a manager runs, resolved into waves, each with its policy applied. */
export interface PluginPlan {
  /** Enabled plugins in start order, then disabled ones. */
  readonly plugins: Map<string, ManagedPlugin>;
  /** Enabled plugins in start order. */
  readonly order: readonly string[];
  readonly waves: string[][];
  /** For each plugin, the enabled plugins that start after it. */
  readonly dependents: Map<string, string[]>;
  readonly warnings: readonly string[];
}

/** What {@link planPlugins} needs besides the plugins. */
export interface PlanOptions {
  readonly platformVersion?: string;
  readonly timeouts: Partial<HookTimeouts>;
  readonly policy: (name: string) => PluginPolicy;
}

/**
 * Resolves `inputs` with discovery's `resolvePlugins` and builds the manager's record of each
 * plugin: its wave, what it waits for and requires, and its policy (isolation, criticality,
 * failure handling, deadlines, grants). Disabled plugins carry the reason in `disabledBy`.
 */
export function planPlugins(inputs: readonly ManagedPluginInput[], options: PlanOptions): PluginPlan {
  const resolution = resolvePlugins(
    inputs.map((input) => ({
      manifest: {
        name: input.manifest.name,
        version: input.manifest.version,
        platform: input.manifest.platform,
        dependencies: input.manifest.dependencies ?? {},
        optionalDependencies: input.manifest.optionalDependencies ?? {},
      },
      location: input.location ?? input.dir,
    })),
    { platformVersion: options.platformVersion ?? TRELLIS_VERSION },
  );
  const waveOf = new Map<string, number>();
  resolution.waves.forEach((wave, index) => {
    for (const name of wave) waveOf.set(name, index);
  });
  const byName = new Map(inputs.map((input) => [input.manifest.name, input]));
  const plugins = new Map<string, ManagedPlugin>();
  // Parsed once: most plugins have no deadlines of their own, and a parse per plugin adds up.
  const sharedTimeouts = HookTimeoutsSchema.parse(options.timeouts);
  const add = (name: string, disabledBy?: unknown) => {
    const input = byName.get(name);
    /* c8 ignore next -- resolvePlugins only names plugins it was given */
    if (!input) return;
    const policy = options.policy(name);
    const manifest = input.manifest;
    plugins.set(name, {
      name,
      input,
      manifest,
      isolation: policy.isolation ?? manifest.isolation ?? 'inline',
      critical: policy.critical ?? manifest.health?.critical ?? false,
      failure: policy.failure ?? 'continue',
      timeouts: policy.timeouts
        ? HookTimeoutsSchema.parse({ ...options.timeouts, ...policy.timeouts })
        : sharedTimeouts,
      granted: policy.granted ?? manifest.permissions ?? [],
      warmStandby: policy.warmStandby ?? false,
      wave: waveOf.get(name) ?? -1,
      after: resolution.edges.get(name) ?? [],
      requires: Object.keys(manifest.dependencies ?? {}).filter((dep) => resolution.enabled.has(dep)),
      lazy: manifest.activation !== undefined && manifest.activation !== 'eager',
      ...(disabledBy === undefined ? {} : { disabledBy, error: disabledBy, outcome: 'disabled' as const }),
      timings: { loadMs: 0, setupMs: 0, startMs: 0 },
      reloadNext: false,
    });
  };
  for (const name of resolution.order) add(name);
  for (const [name, disabled] of resolution.disabled) add(name, disabled.reason);
  return {
    plugins,
    order: resolution.order,
    waves: resolution.waves.map((wave) => [...wave]),
    dependents: invertEdges(resolution.edges),
    warnings: resolution.warnings,
  };
}
