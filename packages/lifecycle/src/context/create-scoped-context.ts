import {
  createPluginContext,
  type DependencyContainer,
  type PluginContext,
  type PluginManifest,
} from '@trellis/core';
import type { ServicePermissionRules } from '../permissions/permission-rules.js';
import { createPermissionGatedContainer } from './permission-gated-container.js';

/** Options of {@link createScopedContext}. */
export interface ScopedContextOptions<TConfig> {
  /** The platform container. */
  readonly parent: DependencyContainer;
  readonly manifest: PluginManifest;
  readonly config: TConfig;
  /** Permissions the host granted the plugin. */
  readonly granted: readonly string[];
  readonly rules?: ServicePermissionRules;
  /** Told about every refused resolve. */
  readonly onDenied?: (service: string, permission: string) => void;
  /** The plugin's data folder, when the host gives it one. */
  readonly dataDir?: string;
  /** Services the host provides to this plugin only; still behind the permission gate. */
  readonly provided?: readonly {
    readonly token: symbol;
    readonly value: unknown;
    readonly release?: () => void;
  }[];
}

/** A plugin's context with the controller of its `signal`. */
export interface ScopedContext<TConfig> {
  readonly context: PluginContext<TConfig>;
  /** Aborts `context.signal`; the manager calls it before the plugin's `stop`. */
  readonly abort: AbortController;
  /** Disposes the plugin's containers (and what they own). */
  dispose(): Promise<void>;
}

/**
 * Builds the context a plugin's hooks receive: core's {@link createPluginContext} (labelled
 * logger and metrics, namespaced cache) on top of a permission-gated child of the platform
 * container, so `ctx.resolve` and `@inject` only reach the services the plugin was granted.
 */
export function createScopedContext<TConfig>(options: ScopedContextOptions<TConfig>): ScopedContext<TConfig> {
  // Host-provided services live in a layer above the gate, so the gate covers them too.
  const provided = options.provided?.length ? options.parent.createChildContainer() : undefined;
  for (const service of options.provided ?? [])
    provided?.register(service.token, { useValue: service.value });
  const gated = createPermissionGatedContainer(provided ?? options.parent, {
    plugin: options.manifest.name,
    granted: options.granted,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.onDenied ? { onDenied: options.onDenied } : {}),
  });
  const abort = new AbortController();
  const context = createPluginContext({
    parent: gated,
    manifest: options.manifest,
    config: options.config,
    signal: abort.signal,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  return {
    context,
    abort,
    async dispose() {
      for (const service of options.provided ?? []) service.release?.();
      await context.container.dispose();
      await gated.dispose();
      await provided?.dispose();
    },
  };
}
