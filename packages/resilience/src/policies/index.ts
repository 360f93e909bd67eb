// The policy layer's public surface; the package index re-exports it.
export type { AttemptContext, PolicyFn } from './attempt-context.js';
export { BackoffSequence, backoffDelay, exponentialDelay, type RandomSource } from './backoff.js';
export { Bulkhead } from './bulkhead.js';
export {
  type BreakerTransition,
  CircuitBreaker,
  type CircuitBreakerOptions,
  REFUSED,
} from './circuit-breaker.js';
export { toCockatielPolicy } from './cockatiel-adapter.js';
export { composePolicy, POLICY_ORDER, type PolicyDeps, type SharedBreakerState } from './compose.js';
export { type OneOffRetryOptions, retryAsync } from './one-off-retry.js';
export { type ExecuteOptions, Policy, type PolicyParts, type PolicyStats } from './policy.js';
export {
  BreakerOpenError,
  BulkheadFullError,
  isPolicyRejection,
  POLICY_ERROR_CODES,
  PolicyConfigInvalidError,
  type PolicyErrorCode,
  PolicyTimeoutError,
  RetryBudgetExhaustedError,
} from './policy-errors.js';
export { DEFAULT_POLICIES_PATH, PolicyRegistry } from './policy-registry.js';
export {
  type BackoffConfig,
  BackoffSchema,
  type BreakerConfig,
  BreakerSchema,
  type BulkheadConfig,
  BulkheadSchema,
  type FallbackConfig,
  FallbackSchema,
  type FallbackTrigger,
  FallbackTriggerSchema,
  type PoliciesConfigInput,
  PoliciesConfigSchema,
  type PolicyConfig,
  type PolicyConfigInput,
  PolicyConfigSchema,
  type RetryBudgetConfig,
  RetryBudgetSchema,
  type RetryConfig,
  RetrySchema,
  type TimeoutConfig,
  TimeoutSchema,
} from './policy-schema.js';
export {
  ANY_CALL_SITE,
  mergePolicyLayers,
  parsePoliciesConfig,
  resolvePolicyConfig,
} from './resolve-policy-config.js';
export { RetryBudget, retryAllowance, retryBudgetAllows } from './retry-budget.js';
export {
  type BreakerAnnouncement,
  RedisBreakerState,
  type RedisBreakerStateOptions,
} from './shared-breaker-state.js';
export { Timeout, type TimeoutOptions } from './timeout.js';
