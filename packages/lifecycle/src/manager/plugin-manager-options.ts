import type { DependencyContainer, Plugin, PluginIsolation, PluginManifest } from '@trellis/core';
import { z } from 'zod';
import { PluginIsolationSchema } from '../desired-state/desired-state-schema.js';
import type { LifecycleHooks } from '../hooks/lifecycle-hooks.js';
import type { ServicePermissionRules } from '../permissions/permission-rules.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';

/** One plugin handed to the manager: usually a discovery scan result, or code defined in place. */
export interface ManagedPluginInput {
  /** The manifest with defaults applied (discovery's `DiscoveredManifest` fits). */
  readonly manifest: PluginManifest;
  /** Absolute plugin folder; the runtimes load `main` from it. */
  readonly dir: string;
  /** Where the plugin is, as messages should show it (e.g. `plugins/a`); default `dir`. */
  readonly location?: string;
  /**
   * The plugin's raw config slice, or a function read at every start (so a restart sees new
   * config); default `{}`. Inline plugins get it parsed by their `configSchema` here; isolated
   * plugins parse it on their side. A function that throws fails that plugin only.
   */
  readonly config?: unknown | (() => unknown);
  /** Code already in memory: run inline without loading a file (tests, embedded plugins). */
  readonly plugin?: Plugin;
}

const millis = z.number().int().positive().max(2_147_483_647);

/** Deadlines of one plugin's hooks, in ms. */
export const HookTimeoutsSchema = z
  .object({
    setupMs: millis.default(10_000),
    startMs: millis.default(10_000),
    stopMs: millis.default(10_000),
    healthMs: millis.default(5_000),
  })
  .strict();

/** Deadlines of one plugin's hooks, in ms; each defaults to 10 s (health 5 s). */
export type HookTimeouts = z.infer<typeof HookTimeoutsSchema>;

/** How the host treats one plugin. */
export const PluginPolicySchema = z
  .object({
    /** `abort`: a failure at boot stops the boot; `continue` (default): boot goes on without it. */
    failure: z.enum(['abort', 'continue']).optional(),
    /** A critical plugin gates readiness; default the manifest's `health.critical`, else false. */
    critical: z.boolean().optional(),
    /** Overrides the manifest's `isolation`. */
    isolation: PluginIsolationSchema.optional(),
    /** Hook deadlines for this plugin. */
    timeouts: HookTimeoutsSchema.partial().optional(),
    /** Permissions granted; default everything the manifest asks for. */
    granted: z.array(z.string()).optional(),
    /**
     * Keep a spare, idle process with this plugin's sandbox flags (process isolation only), so a
     * restart after a crash or hang skips the fork: replacement in tens of ms instead of hundreds.
     * Costs one idle Node process (about 45 MB) per plugin; default false. Worker plugins share
     * the worker runtime's standby whatever this says.
     */
    warmStandby: z.boolean().optional(),
  })
  .strict();

/** How the host treats one plugin; see {@link PluginPolicySchema}. */
export type PluginPolicy = z.infer<typeof PluginPolicySchema>;

/** The data part of {@link PluginManagerOptions}, validated at construction. */
export const PluginManagerSettingsSchema = z.object({
  /** Plugins of one wave started at once; default 8. */
  concurrency: z.number().int().positive().max(1024).default(8),
  timeouts: HookTimeoutsSchema.partial().default({}),
  /** Applies to every plugin without its own policy field. */
  defaultPolicy: PluginPolicySchema.default({}),
  /** Per-plugin policies by name. */
  policies: z.record(z.string(), PluginPolicySchema).default({}),
});

/** What {@link PluginManagerOptions.provide} is told about the plugin being started. */
export interface ProvideContext {
  readonly name: string;
  readonly manifest: PluginManifest;
}

/** A service the host provides to one plugin: registered where the permission gate covers it. */
export interface ProvidedService {
  readonly token: symbol;
  readonly value: unknown;
  /** Called when the plugin's containers are released (stop, failed start, reload). */
  readonly release?: () => void;
}

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions extends z.input<typeof PluginManagerSettingsSchema> {
  /** The platform container; each plugin gets a permission-gated child of it. */
  readonly container: DependencyContainer;
  readonly plugins: readonly ManagedPluginInput[];
  /** Runtimes by isolation; missing ones are created on first use with default options. */
  readonly runtimes?: Partial<Record<PluginIsolation, PluginRuntime>>;
  /** Before/after hooks; default a new {@link LifecycleHooks}. */
  readonly hooks?: LifecycleHooks;
  /** Token key → permission; default `DEFAULT_SERVICE_PERMISSIONS`. */
  readonly rules?: ServicePermissionRules;
  /** The Trellis version `platform` ranges are checked against; default `TRELLIS_VERSION`. */
  readonly platformVersion?: string;
  /**
   * Per-plugin services, asked at every start: e.g. an HTTP router scoped to the plugin's path.
   * They sit above the permission gate, so the plugin still needs the token's permission.
   */
  readonly provide?: (plugin: ProvideContext) => readonly ProvidedService[];
  /**
   * The plugin's data folder (`ctx.dataDir`), asked at every start; a plugin store gives one per
   * plugin, kept across upgrades and restored by rollbacks. Created when missing.
   */
  readonly dataDir?: (plugin: string) => string | undefined;
}
