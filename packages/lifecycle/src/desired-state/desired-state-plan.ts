// The data a plan is made of. Types only: the planner builds these, the renderer prints them, the
// applier hands them to an executor, and `--json` writes them.
import type { PluginIsolation } from '@trellis/core';

/** What the plugin store holds for one plugin, as the caller read it before planning. */
export interface InstalledPluginState {
  readonly name: string;
  /** The active version; undefined when the plugin is not installed (only held versions remain). */
  readonly active?: string;
  /** Every version held in the store, active or not (versions installed side by side earlier). */
  readonly versions: readonly string[];
  /** Whether the plugin is enabled; ignored when it is not installed. */
  readonly enabled: boolean;
  /** The isolation override in effect; undefined runs the manifest's own `isolation`. */
  readonly isolation?: PluginIsolation;
  /** Content digest of the active version; a source with another digest is reinstalled. */
  readonly digest?: string;
  /** Manifest dependency ranges of the active version (plugin name → semver range). */
  readonly dependencies?: Readonly<Record<string, string>>;
  /**
   * Manifest dependency ranges of each held version, when the caller knows them. Without them,
   * switching to a held version that is not active is checked and ordered as if it had none.
   */
  readonly versionDependencies?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What a source (a plugin folder or `.tgz`) holds, read from its manifest before planning. */
export interface DesiredSourceManifest {
  readonly name: string;
  readonly version: string;
  /** Content digest of the source, compared with the installed copy's. */
  readonly digest: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** What every action carries. */
interface PlanActionBase {
  /** The plugin the action changes. */
  readonly name: string;
  /** Why the plan wants this action, in words, for logs and `--json`. */
  readonly reason: string;
}

/** Where new code comes from; absent when the version is already held in the store. */
interface FromSource {
  /** Absolute path of the folder or `.tgz` to install from. */
  readonly source?: string;
  /** The source as written in `trellis.plugins.yaml`, for output. */
  readonly sourceAsWritten?: string;
  /** Digest the source had when planned; an executor may refuse a source that changed since. */
  readonly digest?: string;
}

/** Put a plugin that is not installed into the store, disabled and without isolation override. */
export interface InstallAction extends PlanActionBase, FromSource {
  readonly kind: 'install';
  readonly version: string;
}

/** Make a newer version active (from a source, or one held in the store). */
export interface UpgradeAction extends PlanActionBase, FromSource {
  readonly kind: 'upgrade';
  readonly from: string;
  readonly to: string;
}

/** Make an older version active (from a source, or one held in the store). */
export interface DowngradeAction extends PlanActionBase, FromSource {
  readonly kind: 'downgrade';
  readonly from: string;
  readonly to: string;
}

/** Replace the active version's code with the source's: same version, different digest. */
export interface ReinstallAction extends PlanActionBase {
  readonly kind: 'reinstall';
  readonly version: string;
  readonly source: string;
  readonly sourceAsWritten?: string;
  /** Digest of the installed copy. */
  readonly fromDigest?: string;
  /** Digest of the source. */
  readonly digest: string;
}

/** Remove an installed plugin that the desired state no longer lists. */
export interface UninstallAction extends PlanActionBase {
  readonly kind: 'uninstall';
  /** The version that was active. */
  readonly version: string;
}

/** Enable (start) an installed plugin. */
export interface EnableAction extends PlanActionBase {
  readonly kind: 'enable';
}

/** Disable (stop) an installed plugin, keeping it in the store. */
export interface DisableAction extends PlanActionBase {
  readonly kind: 'disable';
}

/** Change the isolation override; undefined means the manifest's own `isolation`. */
export interface SetIsolationAction extends PlanActionBase {
  readonly kind: 'set-isolation';
  readonly from?: PluginIsolation;
  readonly to?: PluginIsolation;
}

/** One step of a plan. */
export type PlanAction =
  | InstallAction
  | UpgradeAction
  | DowngradeAction
  | ReinstallAction
  | UninstallAction
  | EnableAction
  | DisableAction
  | SetIsolationAction;

/** The `kind` of a {@link PlanAction}. */
export type PlanActionKind = PlanAction['kind'];

/** Why a plan cannot be applied. */
export type PlanProblemKind =
  /** A desired `source` has no manifest in the `sources` given to the planner. */
  | 'source-not-read'
  /** `version` without `source`, and the store does not hold that version. */
  | 'version-not-in-store'
  /** The source's manifest names another plugin than the entry's key. */
  | 'name-mismatch'
  /** The source's manifest version differs from the entry's `version`. */
  | 'version-mismatch'
  /** Several entries point at one source. */
  | 'duplicate-source'
  /** A desired version depends on a plugin the desired state does not list. */
  | 'dependency-missing'
  /** A desired version's dependency range excludes the dependency's desired version. */
  | 'dependency-unsatisfied'
  /** An enabled plugin depends on a plugin the desired state disables. */
  | 'dependency-disabled'
  /** The dependency ranges of the desired versions form a cycle. */
  | 'dependency-cycle';

/** One reason the plan refuses to apply. */
export interface PlanProblem {
  readonly kind: PlanProblemKind;
  /** The plugins involved, the entry at fault first. */
  readonly plugins: readonly string[];
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** `file:line:column` of the entry at fault, when the desired state came from a file. */
  readonly location?: string;
}

/**
 * What it takes to turn the current plugins into the desired ones.
 *
 * Action order:
 * 1. `disable` and `uninstall`, dependents before their dependencies (by the ranges of the
 *    versions installed now), so nothing running loses a dependency under it;
 * 2. then plugin by plugin, dependencies before dependents (by the ranges of the desired
 *    versions): its `install` / `upgrade` / `downgrade` / `reinstall`, its `set-isolation`, then
 *    its `enable`. A plugin is thus enabled after its own install and after its dependencies are
 *    at their desired version and enabled.
 *
 * Plugins unrelated by dependencies come in name order, so the same inputs always give the
 * same plan. A dependency cycle is a problem; its plugins are still ordered, arbitrarily.
 */
export interface DesiredStatePlan {
  readonly actions: readonly PlanAction[];
  /** Desired plugins that need no action and have no problem, sorted by name. */
  readonly unchanged: readonly string[];
  /** When not empty, {@link applyPlan} refuses the plan. */
  readonly problems: readonly PlanProblem[];
}
