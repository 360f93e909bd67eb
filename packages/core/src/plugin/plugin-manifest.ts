/** Where a plugin's code runs: in the host's event loop, a worker thread, or a child process. */
export type PluginIsolation = 'inline' | 'worker' | 'process';

/**
 * When a plugin starts: `eager` at boot, or on the first of a list of events:
 * `onRoute:<prefix>`, `onService:<token>`, `onEvent:<name>`, `onCommand:<id>`.
 */
export type PluginActivation = 'eager' | readonly PluginActivationEvent[];

/** One lazy-activation trigger. */
export type PluginActivationEvent =
  | `onRoute:${string}`
  | `onService:${string}`
  | `onEvent:${string}`
  | `onCommand:${string}`;

/** Health-check options a plugin declares for its `health` hook. */
export interface PluginHealthOptions {
  /** How often the host runs the check, in ms. */
  readonly intervalMs?: number;
  /** How long one check may take, in ms. */
  readonly timeoutMs?: number;
  /** A failing critical plugin fails platform readiness. */
  readonly critical?: boolean;
}

/**
 * A plugin's manifest, from `trellis.plugin.json` or the `trellis` field of its `package.json`.
 * These are the types both sides share; `@trellis/discovery` owns the zod schema that validates
 * a manifest file and is checked against this type.
 */
export interface PluginManifest {
  /** npm-style name, scoped allowed: `hello`, `@acme/billing`. */
  readonly name: string;
  /** Semver version of the plugin. */
  readonly version: string;
  readonly description?: string;
  /** Entry file, relative to the manifest; default `index.js`. */
  readonly main?: string;
  /** Semver range of the Trellis platform API the plugin supports, e.g. `^0.1.0`. */
  readonly platform: string;
  /** Plugin name → semver range; must be present and started first. */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Plugin name → semver range; started first when present. */
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  /** Capabilities the plugin asks for, e.g. `cache:write`, `http:route`. */
  readonly permissions?: readonly string[];
  /** Default `inline`. */
  readonly isolation?: PluginIsolation;
  /** Default `eager`. */
  readonly activation?: PluginActivation;
  /** Name of the export holding the plugin's zod config schema, when not on the definition. */
  readonly configExport?: string;
  readonly health?: PluginHealthOptions;
}
