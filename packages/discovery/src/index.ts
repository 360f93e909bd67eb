export type {
  ActivationControllerOptions,
  ActivationState,
  LazyPlugin,
  PluginActivated,
  PluginActivationFailed,
} from './activation/activation-controller.js';
export { ActivationController } from './activation/activation-controller.js';
export type { ActivationEvent, ActivationKind, ActivationTrigger } from './activation/activation-events.js';
export {
  activationValue,
  formatActivationEvent,
  matchesActivation,
  parseActivationEvent,
} from './activation/activation-events.js';
export type { DiscoveryErrorCode, ManifestProblem } from './errors.js';
export {
  ActivationDuplicateError,
  DISCOVERY_ERROR_CODES,
  ManifestInvalidError,
  PluginDependencyCycleError,
  PluginDependencyDisabledError,
  PluginDependencyMissingError,
  PluginLoadError,
  PluginNameTakenError,
  PluginPlatformIncompatibleError,
  PluginScanError,
  ScanOptionsInvalidError,
} from './errors.js';
export type {
  LoadPluginEntryOptions,
  LoadResult,
  PluginEntry,
  PluginLoaded,
  PluginLoadFailed,
} from './load/load-plugin-entry.js';
export { loadPluginEntry } from './load/load-plugin-entry.js';
export { MANIFEST_JSON_SCHEMA_ID, manifestJsonSchema } from './manifest/json-schema.js';
export type { DiscoveredManifest, PluginManifestInput } from './manifest/manifest-schema.js';
export { PluginManifestSchema } from './manifest/manifest-schema.js';
export type { FoundManifest, ManifestSource } from './manifest/read-manifest.js';
export { PLUGIN_MANIFEST_FILE, readManifest } from './manifest/read-manifest.js';
export type { ValidateManifestOptions } from './manifest/validate-manifest.js';
export { validateManifest } from './manifest/validate-manifest.js';
export type {
  ReloadCoordinatorOptions,
  ReloadFailed,
  ReloadFailure,
  ReloadHost,
  ReloadOutcome,
  ReloadSucceeded,
} from './reload/reload-coordinator.js';
export { ReloadCoordinator } from './reload/reload-coordinator.js';
export type { ReloadPlan } from './reload/reload-plan.js';
export { planReload } from './reload/reload-plan.js';
export type {
  DisabledPlugin,
  PluginDisableCause,
  ResolutionResult,
  ResolvableManifest,
  ResolveInput,
  ResolvePluginsOptions,
} from './resolve/resolve-plugins.js';
export { resolvePlugins } from './resolve/resolve-plugins.js';
export type { ScanProblem } from './scan/scan-context.js';
export type { ScanDirEntry, ScanFs } from './scan/scan-fs.js';
export { nodeScanFs } from './scan/scan-fs.js';
export type { ResolvedScanOptions, ScanOptions } from './scan/scan-options.js';
export { DEFAULT_SCAN_IGNORE, ScanOptionsSchema } from './scan/scan-options.js';
export type { ScanResult } from './scan/scan-plugins.js';
export { scanPlugins } from './scan/scan-plugins.js';
export type { WatchedPluginFolder, WatchPluginFoldersOptions } from './watch/watch-plugin-folders.js';
export { watchPluginFolders } from './watch/watch-plugin-folders.js';
