import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import {
  type ApplyPlanEvent,
  type ApplyPlanResult,
  applyPlan,
  type DesiredSourceManifest,
  type DesiredStateExecutor,
  type DesiredStatePlan,
  type DesiredStatePlanJson,
  type InstalledPluginState,
  loadDesiredState,
  type PlanAction,
  planDesiredState,
  planToJson,
  readDesiredSources,
  renderPlan,
} from '../desired-state/index.js';
import { errorSummary } from '../manager/error-summary.js';
import { requirePluginManifest } from '../store/archive/require-plugin-manifest.js';
import { contentDigest } from '../store/content-digest.js';
import type { PluginStore } from '../store/plugin-store.js';
import { FILE_CONCURRENCY } from '../store/plugin-store.js';
import type { DeployOptions, PluginDeployer } from './plugin-deployer.js';

/**
 * The store's plugins as the desired-state planner sees them: active version, held versions,
 * enabled, isolation override, content digest, and the dependency ranges of every held version.
 */
export async function installedPluginStates(store: PluginStore): Promise<InstalledPluginState[]> {
  const limit = pLimit(FILE_CONCURRENCY);
  return Promise.all(
    store.list().map((view) =>
      limit(async () => {
        const versionDependencies: Record<string, Readonly<Record<string, string>>> = {};
        for (const version of view.versions) {
          versionDependencies[version] = (await store.manifest(view.name, version)).dependencies ?? {};
        }
        return {
          name: view.name,
          ...(view.active === undefined ? {} : { active: view.active }),
          versions: view.versions,
          enabled: view.enabled,
          ...(view.isolation === undefined ? {} : { isolation: view.isolation }),
          ...(view.active === undefined || view.digests[view.active] === undefined
            ? {}
            : { digest: view.digests[view.active] as string }),
          ...(view.active === undefined ? {} : { dependencies: versionDependencies[view.active] ?? {} }),
          versionDependencies,
        };
      }),
    ),
  );
}

/**
 * Reads a source for planning: a folder directly; an archive by staging it in the store (checked
 * like an install, then discarded), so its manifest and digest are those an install would see.
 */
export async function readSourceManifest(store: PluginStore, source: string): Promise<DesiredSourceManifest> {
  if ((await stat(source)).isDirectory()) {
    const found = await requirePluginManifest({ kind: 'folder', path: source }, source, 'its top level');
    return {
      name: found.manifest.name,
      version: found.manifest.version,
      digest: await contentDigest(source),
      dependencies: found.manifest.dependencies ?? {},
    };
  }
  const staged = await store.stage(source);
  try {
    return {
      name: staged.name,
      version: staged.version,
      digest: staged.digest,
      dependencies: staged.manifest.dependencies ?? {},
    };
  } finally {
    await store.discard(staged);
  }
}

/**
 * `trellis plugins plan`: reads `trellis.plugins.yaml`, the store and every source, and returns
 * the plan that would make the store match the file (pure comparison; nothing changes).
 */
export async function planDeployment(store: PluginStore, file: string): Promise<DesiredStatePlan> {
  const desired = await loadDesiredState(file);
  const sources = await readDesiredSources(desired, (source) => readSourceManifest(store, source));
  return planDesiredState(desired, await installedPluginStates(store), { sources });
}

/**
 * `trellis plugins apply`: carries a plan out through the deployer, action by action (each an
 * audited deployment: backups, health gates and rollbacks included), stopping at the first
 * failure. Applying a plan made from the resulting state again does nothing.
 */
export function applyDeployment(
  deployer: PluginDeployer,
  plan: DesiredStatePlan,
  options: DeployOptions & { readonly onAction?: (event: ApplyPlanEvent) => void } = {},
): Promise<ApplyPlanResult> {
  const deploy: DeployOptions = options.actor ? { actor: options.actor } : {};
  const executor: DesiredStateExecutor = {
    install: (action) => deployer.install(action.source as string, { ...deploy, enabled: false }),
    upgrade: (action) =>
      deployer.upgrade(
        action.name,
        { ...(action.source ? { source: action.source } : {}), version: action.to },
        deploy,
      ),
    downgrade: (action) =>
      deployer.downgrade(
        action.name,
        { ...(action.source ? { source: action.source } : {}), version: action.to },
        deploy,
      ),
    reinstall: (action) => deployer.reinstall(action.name, action.source, deploy),
    uninstall: (action) => deployer.uninstall(action.name, deploy),
    enable: (action) => deployer.setEnabled(action.name, true, deploy),
    disable: (action) => deployer.setEnabled(action.name, false, deploy),
    setIsolation: (action) => deployer.setIsolation(action.name, action.to ?? null, deploy),
  };
  return applyPlan(plan, executor, options.onAction ? { onAction: options.onAction } : {});
}

/** A plan as the CLI's `--json` and the admin API send it: its JSON form plus the rendered text. */
export function planView(plan: DesiredStatePlan): DesiredStatePlanJson & { readonly text: string } {
  return { ...planToJson(plan), text: renderPlan(plan) };
}

/** What an apply did, as the CLI's `--json` and the admin API send it (the same shape for both). */
export interface ApplyResultView {
  readonly plan: DesiredStatePlanJson & { readonly text: string };
  readonly applied: number;
  readonly skipped: number;
  readonly durationMs: number;
  /** The action that stopped the apply and its error, when one did. */
  readonly failed?: {
    readonly action: PlanAction;
    readonly error: { readonly code: string; readonly message: string };
  };
}

/** {@link applyDeployment}'s result in the shape both the CLI and the admin API report. */
export function applyResultView(plan: DesiredStatePlan, result: ApplyPlanResult): ApplyResultView {
  const error = result.failed ? errorSummary(result.failed.error) : undefined;
  return {
    plan: planView(plan),
    applied: result.applied.length,
    skipped: result.skipped.length,
    durationMs: result.durationMs,
    ...(result.failed && error
      ? { failed: { action: result.failed.action, error: { code: error.code, message: error.message } } }
      : {}),
  };
}
