// Declares the resilience events on core's TrellisEvents for every importer of this package.
import './events/resilience-events.js';

export type { ChaosErrorCode, ChaosErrorFault, ChaosFaultErrorOptions } from './chaos/chaos-errors.js';
export { CHAOS_ERROR_CODES, ChaosConfigInvalidError, ChaosFaultError } from './chaos/chaos-errors.js';
export type {
  ChaosConfig,
  ChaosFault,
  ChaosRule,
  ChaosRuleConfig,
  ChaosSettings,
} from './chaos/chaos-schema.js';
export {
  ChaosConfigSchema,
  ChaosRuleSchema,
  CrashRuleSchema,
  ErrorRuleSchema,
  HangRuleSchema,
  LatencyRuleSchema,
  matchesTarget,
  parseChaosConfig,
} from './chaos/chaos-schema.js';
export type { ChaosStats, FaultInjectorDeps, InjectOptions } from './chaos/fault-injection.js';
export { FaultInjector, uncaughtCrash } from './chaos/fault-injection.js';
export { mulberry32 } from './chaos/seeded-random.js';
export type { ResilienceErrorCode } from './errors.js';
export { RESILIENCE_ERROR_CODES } from './errors.js';
export type { BreakerState, EventError, RejectReason, ResilienceEvents } from './events/resilience-events.js';
export type {
  BreakerHealthBinding,
  BreakerHealthOptions,
  BreakerLike,
  BreakerSource,
} from './health/breaker-health.js';
export { registerBreakerHealth } from './health/breaker-health.js';
export type { HealthConfig, HealthConfigInput } from './health/health-config.js';
export {
  HealthCheckOptionsSchema,
  HealthConfigSchema,
  parseCheckOptions,
  parseHealthConfig,
} from './health/health-config.js';
export type { HealthErrorCode } from './health/health-errors.js';
export {
  HEALTH_ERROR_CODES,
  HealthCheckOptionsInvalidError,
  HealthCheckTimeoutError,
  HealthConfigInvalidError,
} from './health/health-errors.js';
export type {
  HealthCheckSnapshot,
  HealthHistoryEntry,
  ResilienceCheckOutcome,
  ResilienceHealthCheckOptions,
  ResilienceHealthReport,
} from './health/health-types.js';
export type {
  PluginHealthBinding,
  PluginTransitionLike,
  PluginTransitionSource,
  RegisterPluginHealthOptions,
} from './health/plugin-health.js';
export { registerPluginHealth } from './health/plugin-health.js';
export type { ResilienceHealthRegistryOptions } from './health/resilience-health-registry.js';
export { ResilienceHealthRegistry } from './health/resilience-health-registry.js';
export type {
  AcquireOptions,
  AdaptiveLimiterDeps,
  ExecuteOptions,
  LimiterStats,
} from './limits/adaptive-limit.js';
export { AdaptiveConcurrencyLimiter, defaultErrorOutcome } from './limits/adaptive-limit.js';
export type { AdaptiveLimitConfig, AdaptiveLimitSettings } from './limits/adaptive-limit-schema.js';
export {
  AdaptiveLimitConfigSchema,
  AimdConfigSchema,
  createLimitAlgorithm,
  Gradient2ConfigSchema,
  parseAdaptiveLimitConfig,
} from './limits/adaptive-limit-schema.js';
export type { AimdLimitOptions } from './limits/aimd-limit.js';
export { AimdLimit } from './limits/aimd-limit.js';
export type { Gradient2LimitOptions, QueueSizeRule } from './limits/gradient2-limit.js';
export { Gradient2Limit } from './limits/gradient2-limit.js';
export type { LimitAlgorithm, LimitSample } from './limits/limit-algorithm.js';
export type { LimitErrorCode, LimitExceededReason } from './limits/limit-errors.js';
export {
  EjectionConfigInvalidError,
  LIMIT_ERROR_CODES,
  LimitConfigInvalidError,
  LimitExceededError,
  MemberEjectedError,
} from './limits/limit-errors.js';
export type { LimiterOverrides, LimiterRegistryOptions } from './limits/limiter-registry.js';
export { createLimiterRegistry, LimiterRegistry } from './limits/limiter-registry.js';
export type {
  EjectionExecuteOptions,
  MemberStatus,
  OutlierEjectionDeps,
} from './limits/outlier-ejection.js';
export { OutlierEjection } from './limits/outlier-ejection.js';
export type { OutlierEjectionConfig, OutlierEjectionSettings } from './limits/outlier-ejection-schema.js';
export { OutlierEjectionConfigSchema, parseOutlierEjectionConfig } from './limits/outlier-ejection-schema.js';
export type { Permit, PermitOutcome } from './limits/permit.js';
export type { ResilienceConfig, ResilienceConfigInput } from './module/resilience-config.js';
export {
  MODULE_ERROR_CODES,
  parseResilienceConfig,
  ResilienceConfigInvalidError,
  ResilienceConfigSchema,
} from './module/resilience-config.js';
export type { ResilienceModuleOptions, ResilienceServices } from './module/resilience-module.js';
export { createResilienceModule } from './module/resilience-module.js';
export type { PluginHeapSample, SupervisionModuleOptions } from './module/supervision-module.js';
export { createSupervisionModule, FAILURE_PREDICTOR } from './module/supervision-module.js';
export * from './policies/index.js';
export type { ErrorBudgetAssessment, WindowBurn } from './prediction/error-budget.js';
export { ErrorBudget } from './prediction/error-budget.js';
export type { EwmaOptions } from './prediction/ewma.js';
export { Ewma } from './prediction/ewma.js';
export type {
  FailurePredictorOptions,
  PluginVerdicts,
  Prediction,
  PredictionActions,
  PredictionKind,
} from './prediction/failure-predictor.js';
export { FailurePredictor, PREDICTOR_ACTOR } from './prediction/failure-predictor.js';
export type { LatencyAssessment } from './prediction/latency-trend.js';
export { LatencyTrend } from './prediction/latency-trend.js';
export type { HeapSample, LeakAssessment } from './prediction/leak-predictor.js';
export { LeakPredictor } from './prediction/leak-predictor.js';
export type {
  BurnWindow,
  ErrorBudgetConfig,
  LatencyTrendConfig,
  LeakPredictorConfig,
  PredictionAction,
  PredictionConfig,
  PredictionConfigInput,
} from './prediction/prediction-config.js';
export {
  BurnWindowSchema,
  ErrorBudgetConfigSchema,
  LatencyTrendConfigSchema,
  LeakPredictorConfigSchema,
  PredictionActionSchema,
  PredictionConfigSchema,
  parsePredictionConfig,
} from './prediction/prediction-config.js';
export type { PredictionErrorCode } from './prediction/prediction-errors.js';
export {
  PREDICTION_ERROR_CODES,
  PredictionConfigInvalidError,
  PredictionSampleInvalidError,
} from './prediction/prediction-errors.js';
export type { ConfusionCounts, LeakEvaluation } from './prediction/scenarios/evaluate.js';
export { evaluateLeakPredictor } from './prediction/scenarios/evaluate.js';
export type {
  HeapScenario,
  HeapScenarioKind,
  HeapScenarioSetOptions,
} from './prediction/scenarios/heap-scenarios.js';
export {
  generateHeapScenario,
  generateHeapScenarios,
  HEAP_SCENARIO_KINDS,
  HELD_OUT_SEED,
  SCENARIO_SET_SEED,
} from './prediction/scenarios/heap-scenarios.js';
export type { LeakPredictionReport, LeakPredictionReportOptions } from './prediction/scenarios/report.js';
export { leakPredictionReport, writeLeakPredictionReport } from './prediction/scenarios/report.js';
export type { TrendFit, TrendPoint } from './prediction/trend.js';
export { leastSquares, theilSen } from './prediction/trend.js';
export type { RestartDelayOptions } from './supervisor/backoff.js';
export { restartDelay } from './supervisor/backoff.js';
export type {
  PluginSupervisor,
  PluginSupervisorDeps,
  PluginSupervisorOptions,
  SupervisedPlugin,
} from './supervisor/plugin-supervisor.js';
export { createPluginSupervisor, SUPERVISOR_ACTOR } from './supervisor/plugin-supervisor.js';
export type {
  RecoveryChild,
  RecoveryContext,
  RecoveryOutcome,
  RecoveryStep,
  RecoveryStrategy,
  ReloadConfigFn,
  RollbackFn,
} from './supervisor/recovery.js';
export {
  defaultRecovery,
  disableStrategy,
  reloadConfigStrategy,
  restartStrategy,
  rollbackStrategy,
} from './supervisor/recovery.js';
export type { FailureHandling, SupervisorOptions, SupervisorState } from './supervisor/supervisor.js';
export { Supervisor } from './supervisor/supervisor.js';
export type {
  BackoffConfig as RestartBackoffConfig,
  HealthPollConfig,
  IntensityConfig,
  PluginSupervisorConfig,
  PluginSupervisorConfigInput,
  RestartStrategyName,
  SupervisorConfig,
  SupervisorConfigInput,
} from './supervisor/supervisor-config.js';
export {
  BackoffSchema as RestartBackoffSchema,
  HealthPollSchema,
  IntensitySchema,
  PluginSupervisorConfigSchema,
  parseSupervisorConfig,
  RestartStrategySchema,
  SupervisorConfigSchema,
} from './supervisor/supervisor-config.js';
export type { SupervisorErrorCode } from './supervisor/supervisor-errors.js';
export {
  SUPERVISOR_ERROR_CODES,
  SupervisorChildDuplicateError,
  SupervisorChildUnknownError,
  SupervisorConfigInvalidError,
  SupervisorStartFailedError,
  SupervisorStateError,
  SupervisorStopFailedError,
} from './supervisor/supervisor-errors.js';
export type {
  ChildFailure,
  FailureSource,
  SupervisedChild,
  SupervisedChildState,
  SupervisedChildStatus,
} from './supervisor/supervisor-types.js';
export { CHAOS, LIMITERS, POLICIES } from './tokens.js';
export type { EventLoopDelayStats } from './watchdog/event-loop-delay.js';
export type { EventLoopWatchdogOptions, WatchdogStats } from './watchdog/event-loop-watchdog.js';
export { EventLoopWatchdog } from './watchdog/event-loop-watchdog.js';
export { locateWatchdogWorker } from './watchdog/locate-worker.js';
export type { WatchdogConfig, WatchdogConfigInput } from './watchdog/watchdog-config.js';
export { parseWatchdogConfig, WatchdogConfigSchema } from './watchdog/watchdog-config.js';
export type { WatchdogErrorCode } from './watchdog/watchdog-errors.js';
export {
  WATCHDOG_ERROR_CODES,
  WatchdogConfigInvalidError,
  WatchdogWorkerFailedError,
  WatchdogWorkerNotFoundError,
} from './watchdog/watchdog-errors.js';
export type { WatchdogReport } from './watchdog/watchdog-protocol.js';
