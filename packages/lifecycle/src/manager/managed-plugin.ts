import type { Disposer, Plugin, PluginIsolation, PluginManifest } from '@trellis/core';
import type { ScopedContext } from '../context/create-scoped-context.js';
import type { PluginBootOutcome } from '../report/boot-report.js';
import type { PluginInstance } from '../runtime/plugin-runtime.js';
import type { HookTimeouts, ManagedPluginInput } from './plugin-manager-options.js';

/** How long each step of a plugin's last start took, in ms. */
export interface StartTimings {
  loadMs: number;
  setupMs: number;
  startMs: number;
}

/** The manager's record of one plugin: what it is, how to treat it, and what runs it now. */
export interface ManagedPlugin {
  readonly name: string;
  readonly input: ManagedPluginInput;
  readonly manifest: PluginManifest;
  readonly isolation: PluginIsolation;
  readonly critical: boolean;
  readonly failure: 'abort' | 'continue';
  readonly timeouts: HookTimeouts;
  readonly granted: readonly string[];
  /** The policy's `warmStandby`, handed to the runtime. */
  readonly warmStandby: boolean;
  /** Start wave; -1 when disabled. */
  readonly wave: number;
  /** Enabled plugins it starts after (required and optional dependencies). */
  readonly after: readonly string[];
  /** Its required dependencies: it cannot run without them. */
  readonly requires: readonly string[];
  /** True when the manifest asks for lazy activation. */
  readonly lazy: boolean;
  /** Set for plugins resolution disabled, with the reason. */
  readonly disabledBy?: unknown;
  timings: StartTimings;
  outcome?: PluginBootOutcome;
  error?: unknown;
  instance?: PluginInstance;
  scope?: ScopedContext<unknown>;
  exitSubscription?: Disposer;
  /** The start in progress, so concurrent starters share it. */
  starting?: Promise<void>;
  /** The stop in progress, so concurrent stoppers share it. */
  stopping?: Promise<void>;
  /** Load the code afresh at the next start. */
  reloadNext: boolean;
  /** Inline: the definition that runs (or ran last). */
  definition?: Plugin;
  /** Inline: a definition to start with instead of loading code (a reload falling back). */
  fallback?: Plugin;
  /** Its registration for lazy activation, disposed when the plugin is replaced or removed. */
  lazyRegistration?: Disposer;
}
