import type { PluginIsolation, PluginLifecycleState } from '@trellis/core';
import type { RuntimeExitReason } from '../errors.js';

/** Sent on every plugin state change, with how long the plugin spent in the state it left. */
export interface PluginTransitionEvent {
  readonly plugin: string;
  readonly version: string;
  readonly from: PluginLifecycleState;
  readonly to: PluginLifecycleState;
  /** Epoch ms of the change. */
  readonly at: number;
  /** Time spent in `from`, in ms. */
  readonly durationMs: number;
  readonly reason?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Sent when an isolated plugin's worker or process died by itself. */
export interface PluginExitedEvent {
  readonly plugin: string;
  readonly isolation: PluginIsolation;
  readonly reason: RuntimeExitReason;
  readonly detail: string;
  readonly code?: number;
}

/** Sent when a plugin operation a person or a supervisor asked for has finished. */
export interface PluginOperationEvent {
  readonly operation: 'start' | 'stop' | 'restart' | 'reload' | 'install' | 'replace' | 'uninstall';
  readonly plugin: string;
  /** Every plugin the operation stopped or started, in the order it did so. */
  readonly affected: readonly string[];
  readonly actor: string;
  readonly outcome: 'success' | 'failure';
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Sent after boot with the counts of the boot report. */
export interface PluginsBootedEvent {
  readonly durationMs: number;
  readonly active: number;
  readonly failed: number;
  readonly lazy: number;
  readonly disabled: number;
  readonly ready: boolean;
}

/**
 * Sent when a plugin store change has finished: an install, upgrade, downgrade, rollback,
 * uninstall or a change of enabled / isolation; with the versions it went from and to.
 */
export interface PluginDeploymentEvent {
  readonly operation: DeploymentOperation;
  readonly plugin: string;
  readonly from?: string;
  readonly to?: string;
  readonly actor: string;
  /** `rolled-back`: the new version failed its health gate and the previous one runs again. */
  readonly outcome: 'success' | 'failure' | 'rolled-back';
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** What a plugin store deployment did. */
export type DeploymentOperation =
  | 'install'
  | 'upgrade'
  | 'downgrade'
  | 'rollback'
  | 'reinstall'
  | 'uninstall'
  | 'enable'
  | 'disable'
  | 'set-isolation'
  | 'prune';

declare module '@trellis/core' {
  interface TrellisEvents {
    'plugin.deployment': PluginDeploymentEvent;
    'plugin.transition': PluginTransitionEvent;
    'plugin.exited': PluginExitedEvent;
    'plugin.operation': PluginOperationEvent;
    'plugins.booted': PluginsBootedEvent;
    'plugin.permission-denied': {
      readonly plugin: string;
      readonly service: string;
      readonly permission: string;
    };
  }
}
