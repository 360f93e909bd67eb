// Declarative plugin deployment, like `terraform plan` / `apply`: `trellis.plugins.yaml` says
// which plugins should be installed; plan compares it with the store, apply carries the plan out.
export type {
  ApplyPlanEvent,
  ApplyPlanOptions,
  ApplyPlanResult,
  DesiredStateExecutor,
} from './apply-plan.js';
export { applyPlan } from './apply-plan.js';
export type {
  DesiredSourceFailure,
  DesiredStateErrorCode,
  DesiredStateProblem,
} from './desired-state-errors.js';
export {
  DESIRED_STATE_ERROR_CODES,
  DesiredSourceUnreadableError,
  DesiredStateInvalidError,
  formatDesiredStateProblem,
  PlanHasProblemsError,
} from './desired-state-errors.js';
export type {
  DesiredSourceManifest,
  DesiredStatePlan,
  DisableAction,
  DowngradeAction,
  EnableAction,
  InstallAction,
  InstalledPluginState,
  PlanAction,
  PlanActionKind,
  PlanProblem,
  PlanProblemKind,
  ReinstallAction,
  SetIsolationAction,
  UninstallAction,
  UpgradeAction,
} from './desired-state-plan.js';
export type {
  DesiredPlugin,
  DesiredPluginEntry,
  DesiredPluginEntryInput,
  DesiredState,
  DesiredStateFile,
  DesiredStateFileInput,
  DesiredStatePosition,
} from './desired-state-schema.js';
export {
  DESIRED_PLUGIN_FIELDS,
  DESIRED_STATE_FIELDS,
  DESIRED_STATE_FILE,
  DesiredPluginEntrySchema,
  DesiredStateFileSchema,
  ExactVersionSchema,
  PluginIsolationSchema,
} from './desired-state-schema.js';
export { loadDesiredState, parseDesiredState } from './parse-desired-state.js';
export type { PlanDesiredStateOptions } from './plan-desired-state.js';
export { planDesiredState } from './plan-desired-state.js';
export type { DesiredStatePlanJson } from './plan-to-json.js';
export { planToJson } from './plan-to-json.js';
export type { ReadDesiredSourcesOptions, ReadSourceManifest } from './read-desired-sources.js';
export { readDesiredSources } from './read-desired-sources.js';
export type { RenderPlanOptions } from './render-plan.js';
export { renderPlan } from './render-plan.js';
export type { PlanSummary } from './summarize-plan.js';
export { summarizePlan } from './summarize-plan.js';
