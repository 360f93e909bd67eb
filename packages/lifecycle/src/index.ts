// Declares the lifecycle events on core's TrellisEvents for every importer of this package.
import './events/lifecycle-events.js';

export type { ScopedContext, ScopedContextOptions } from './context/create-scoped-context.js';
export { createScopedContext } from './context/create-scoped-context.js';
export type { PermissionGateOptions } from './context/permission-gated-container.js';
export { createPermissionGatedContainer, tokenKey } from './context/permission-gated-container.js';
export type { InstalledPluginFacts } from './deploy/check-compatibility.js';
export { checkCompatibility } from './deploy/check-compatibility.js';
export type { ApplyResultView } from './deploy/desired-state-deployment.js';
export {
  applyDeployment,
  applyResultView,
  installedPluginStates,
  planDeployment,
  planView,
  readSourceManifest,
} from './deploy/desired-state-deployment.js';
export type { HealthGateOptions, HealthGateResult } from './deploy/health-gate.js';
export { runHealthGate } from './deploy/health-gate.js';
export type {
  DeploymentResult,
  DeployOptions,
  DeployTarget,
  PluginDeployerOptions,
} from './deploy/plugin-deployer.js';
export { PluginDeployer } from './deploy/plugin-deployer.js';
export * from './desired-state/index.js';
export type { LifecycleErrorCode, RuntimeExitReason } from './errors.js';
export {
  BootAbortedError,
  HookOptionsInvalidError,
  HookVetoedError,
  IllegalTransitionError,
  LIFECYCLE_ERROR_CODES,
  PluginAdminUnreachableError,
  PluginConfigInvalidError,
  PluginHookFailedError,
  PluginHookTimeoutError,
  PluginManagerOptionsInvalidError,
  PluginManagerStateError,
  PluginNotFoundError,
  PluginPermissionDeniedError,
  PluginRuntimeExitedError,
  RuntimeCallTimeoutError,
  RuntimeStartError,
} from './errors.js';
export type {
  DeploymentOperation,
  PluginDeploymentEvent,
  PluginExitedEvent,
  PluginOperationEvent,
  PluginsBootedEvent,
  PluginTransitionEvent,
} from './events/lifecycle-events.js';
export type {
  AfterHookHandler,
  AfterHookName,
  AfterHookResult,
  BeforeHookHandler,
  BeforeHookName,
  HookFailure,
  HookHandlerOptions,
  HookVeto,
  LifecycleHookEvents,
  LifecycleHookHandler,
  LifecycleHookName,
  LifecycleHooksOptions,
  PluginHookPayload,
  UpgradeHookPayload,
} from './hooks/lifecycle-hooks.js';
export { LifecycleHooks } from './hooks/lifecycle-hooks.js';
export * from './integrity/index.js';
export type { LifecycleModuleOptions } from './lifecycle-module.js';
export { createLifecycleModule } from './lifecycle-module.js';
export { errorSummary } from './manager/error-summary.js';
export type {
  PluginDetails,
  PluginManagerState,
  PluginReloadFailure,
  PluginReloadOutcome,
  PluginReplaceOptions,
} from './manager/plugin-manager.js';
export { PluginManager } from './manager/plugin-manager.js';
export type {
  HookTimeouts,
  ManagedPluginInput,
  PluginManagerOptions,
  PluginPolicy,
  ProvideContext,
  ProvidedService,
} from './manager/plugin-manager-options.js';
export {
  HookTimeoutsSchema,
  PluginManagerSettingsSchema,
  PluginPolicySchema,
} from './manager/plugin-manager-options.js';
export * from './operations/index.js';
export type { ServicePermissionRules } from './permissions/permission-rules.js';
export {
  DEFAULT_SERVICE_PERMISSIONS,
  isGranted,
  requiredPermission,
} from './permissions/permission-rules.js';
export type {
  BootErrorSummary,
  BootReport,
  PluginBootOutcome,
  PluginBootRecord,
} from './report/boot-report.js';
export { PLUGIN_BOOT_OUTCOMES, summarizeOutcomes } from './report/boot-report.js';
export type { FormatBootReportOptions } from './report/format-boot-report.js';
export { formatBootReport } from './report/format-boot-report.js';
export { createInlineInstance, InlineRuntime } from './runtime/inline-runtime.js';
export type { NodePermissionFlags, NodePermissionFlagsInput } from './runtime/node-permission-flags.js';
export { buildNodePermissionFlags, parsePermission } from './runtime/node-permission-flags.js';
export type {
  PluginHookName,
  PluginInstance,
  PluginRuntime,
  RuntimeCallOptions,
  RuntimeExit,
  RuntimePluginSpec,
  RuntimeStats,
} from './runtime/plugin-runtime.js';
export type { ProcessRuntimeOptions } from './runtime/process-runtime.js';
export { ProcessRuntime } from './runtime/process-runtime.js';
export type {
  IsolatedRuntimeOptions,
  WorkerResourceLimits,
  WorkerRuntimeOptions,
} from './runtime/worker-runtime.js';
export { ISOLATION_DEFAULTS, WorkerRuntime } from './runtime/worker-runtime.js';
export type { PluginState } from './state/plugin-state.js';
export { canTransition, PLUGIN_STATES, PLUGIN_TRANSITIONS } from './state/plugin-state.js';
export type {
  PluginStateEntry,
  PluginStateMachineOptions,
  PluginTransition,
  TransitionInfo,
} from './state/plugin-state-machine.js';
export { PLUGIN_HISTORY_LIMIT, PluginStateMachine } from './state/plugin-state-machine.js';
export * from './store/archive/index.js';
export type {
  PluginStoreOptions,
  PruneResult,
  StagedPlugin,
  StoredPluginView,
  StoreRecovery,
  StoreStep,
} from './store/plugin-store.js';
export { PluginStore } from './store/plugin-store.js';
export {
  PluginAlreadyInstalledError,
  PluginHealthGateFailedError,
  PluginIncompatibleError,
  PluginNotInstalledError,
  PluginRollbackUnavailableError,
  PluginStoreCorruptError,
  PluginStoreLockedError,
  PluginVersionNotInStoreError,
  STORE_ERROR_CODES,
} from './store/store-errors.js';
export type { StoreJournal } from './store/store-journal.js';
export { encodeName, StoreLayout } from './store/store-layout.js';
export type { StoredPlugin, StoreState } from './store/store-state.js';
export { StoredPluginSchema, StoreStateSchema } from './store/store-state.js';
