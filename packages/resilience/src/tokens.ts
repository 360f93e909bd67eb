import { createToken } from '@trellis/core';
import type { FaultInjector } from './chaos/fault-injection.js';
import type { LimiterRegistry } from './limits/limiter-registry.js';
import type { PolicyRegistry } from './policies/policy-registry.js';

/**
 * The platform's policies, by plugin and call site (`policies.get(plugin, 'upstream')`); built
 * from the `resilience.policies` config. Plugins need `service:resolve:@trellis/resilience.Policies`.
 */
export const POLICIES = createToken<PolicyRegistry>('@trellis/resilience.Policies');

/** Adaptive concurrency limiters, one per plugin (`limiters.forPlugin(name)`). */
export const LIMITERS = createToken<LimiterRegistry>('@trellis/resilience.Limiters');

/** The chaos fault injector; disabled unless `resilience.chaos.enabled`. */
export const CHAOS = createToken<FaultInjector>('@trellis/resilience.Chaos');
