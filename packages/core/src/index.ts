// tsyringe reads decorator metadata through the Reflect API; load the polyfill once, here.
import 'reflect-metadata';

// The DI primitives users need next to the platform, from the same tsyringe copy the platform
// uses: a second copy of tsyringe cannot resolve classes decorated by the first.
export type { DependencyContainer } from 'tsyringe';
export { inject, injectable, instanceCachingFactory, Lifecycle } from 'tsyringe';

export type { Disposer } from './disposer.js';
export { toDisposer } from './disposer.js';
export { describeError } from './errors/describe-error.js';
export type { TrellisErrorJSON, TrellisErrorOptions } from './errors/trellis-error.js';
export { TrellisError } from './errors/trellis-error.js';
export type { CoreErrorCode, MissingDependency } from './errors.js';
export {
  CORE_ERROR_CODES,
  ConfigValueMissingError,
  DependencyMissingError,
  HealthCheckDuplicateError,
  ModuleCycleError,
  ModuleDuplicateError,
  ModuleInvalidError,
  ModuleStartError,
  PlatformOptionsInvalidError,
  PlatformStateError,
  PluginDefinitionInvalidError,
  ProviderConflictError,
  ProviderNotRegisteredError,
  ServiceNotRegisteredError,
} from './errors.js';
export type { EventBus, EventListener, ListenerFailure } from './events/event-bus.js';
export type { LocalEventBusOptions } from './events/local-event-bus.js';
export { LocalEventBus } from './events/local-event-bus.js';
export type { ModuleStopOutcome, TrellisEvents } from './events/trellis-events.js';
export type { AtomicWriteFileOptions } from './fs/write-file-atomic.js';
export { atomicWriteFile, syncDirectory } from './fs/write-file-atomic.js';
export type { JsonParseResult, JsonSyntaxProblem } from './json/parse-json-text.js';
export { jsonErrorOffset, lineAndColumn, parseJsonText } from './json/parse-json-text.js';
export { createPlatform } from './platform/create-platform.js';
export type {
  ModuleContext,
  ModuleDependency,
  OptionalDependency,
  TrellisModule,
} from './platform/module.js';
export { assertModule, defineModule, optional } from './platform/module.js';
export type { ModulePlan } from './platform/module-plan.js';
export { planModules } from './platform/module-plan.js';
export type { Platform } from './platform/platform.js';
export type { PlatformOptions, ResolvedPlatformOptions } from './platform/platform-options.js';
export { PlatformOptionsSchema, PlatformServicesSchema } from './platform/platform-options.js';
export type {
  ModuleStartTiming,
  ModuleStopResult,
  PlatformState,
  StartReport,
  StopReport,
} from './platform/platform-reports.js';
export type { ShutdownOptions, ShutdownSignal, SignalSource } from './platform/shutdown.js';
export { installShutdownHandlers } from './platform/shutdown.js';
export type { PluginContextOptions } from './plugin/create-plugin-context.js';
export { createPluginContext } from './plugin/create-plugin-context.js';
export type { Plugin, PluginConfigMigration, PluginDefinition } from './plugin/define-plugin.js';
export { definePlugin, isPlugin } from './plugin/define-plugin.js';
export type { PluginContext } from './plugin/plugin-context.js';
export type {
  PluginActivation,
  PluginActivationEvent,
  PluginHealthOptions,
  PluginIsolation,
  PluginManifest,
} from './plugin/plugin-manifest.js';
export type { PluginScopeObserver } from './plugin/plugin-scope.js';
export { currentPluginScope, observePluginScope, runInPluginScope } from './plugin/plugin-scope.js';
export { resolveService } from './resolve-service.js';
export type { AuditEntry, AuditLog, AuditOutcome, AuditQuery, AuditRecord } from './services/audit-log.js';
export type { AuthorizationDecision, AuthorizationRequest, Authorizer } from './services/authorizer.js';
export type { Cache, CacheSetOptions } from './services/cache.js';
export type { ConfigChange, ConfigReader } from './services/config-reader.js';
export type { ConsoleLoggerOptions, LogDestination } from './services/console-logger.js';
export { ConsoleLogger } from './services/console-logger.js';
export { GrantAuthorizer } from './services/grant-authorizer.js';
export type {
  HealthCheck,
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthCheckResult,
  HealthProbe,
  HealthRegistry,
  HealthReport,
  HealthStatus,
} from './services/health-registry.js';
export { toHealthCheckResult } from './services/health-result.js';
export type { HttpMethod, HttpRequest, HttpResponse, HttpRoute, HttpRouter } from './services/http-router.js';
export { LocalHealthRegistry } from './services/local-health-registry.js';
export type { LogFn, Logger, LogLevel } from './services/logger.js';
export { LOG_LEVELS } from './services/logger.js';
export type { MemoryAuditLogOptions } from './services/memory-audit-log.js';
export { MemoryAuditLog } from './services/memory-audit-log.js';
export type { MemoryCacheOptions } from './services/memory-cache.js';
export { MemoryCache } from './services/memory-cache.js';
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  MetricLabels,
  MetricOptions,
  Metrics,
} from './services/metrics.js';
export { noopMetrics } from './services/noop-metrics.js';
export { noopTracer } from './services/noop-tracer.js';
export type {
  PluginActor,
  PluginControl,
  PluginLifecycleState,
  PluginRestartOptions,
  PluginSummary,
} from './services/plugin-control.js';
export { StaticConfigReader } from './services/static-config-reader.js';
export type { Span, SpanAttributes, SpanOptions, Tracer } from './services/tracer.js';
export type { Clock, TimerHandle } from './time/clock.js';
export { systemClock } from './time/clock.js';
export type { DeadlineOptions } from './time/deadline.js';
export { DeadlineExceededError, withDeadline } from './time/deadline.js';
export { ManualClock } from './time/manual-clock.js';
export type { Token, TokenType } from './token.js';
export { createToken, tokenName } from './token.js';
export {
  AUDIT_LOG,
  AUTHORIZER,
  CACHE,
  CLOCK,
  CONFIG_READER,
  CORE_TOKEN_PROVIDERS,
  EVENT_BUS,
  HEALTH_REGISTRY,
  HTTP_ROUTER,
  LOGGER,
  METRICS,
  PLUGIN_CONTROL,
  providerHint,
  TRACER,
} from './tokens.js';
export { TRELLIS_VERSION } from './version.js';
