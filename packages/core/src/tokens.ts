import type { EventBus } from './events/event-bus.js';
import type { TrellisEvents } from './events/trellis-events.js';
import type { AuditLog } from './services/audit-log.js';
import type { Authorizer } from './services/authorizer.js';
import type { Cache } from './services/cache.js';
import type { ConfigReader } from './services/config-reader.js';
import type { HealthRegistry } from './services/health-registry.js';
import type { HttpRouter } from './services/http-router.js';
import type { Logger } from './services/logger.js';
import type { Metrics } from './services/metrics.js';
import type { PluginControl } from './services/plugin-control.js';
import type { Tracer } from './services/tracer.js';
import type { Clock } from './time/clock.js';
import { createToken, tokenName } from './token.js';

/** Structured logging; default {@link ConsoleLogger}, replaced by `@trellis/observability` (pino). */
export const LOGGER = createToken<Logger>('@trellis/core.Logger');
/** Counters, gauges, histograms; default no-op, replaced by `@trellis/observability` (prom-client). */
export const METRICS = createToken<Metrics>('@trellis/core.Metrics');
/** Tracing spans; default no-op, replaced by `@trellis/observability` (OpenTelemetry). */
export const TRACER = createToken<Tracer>('@trellis/core.Tracer');
/** Key/value cache; default in-memory LRU, replaced by `@trellis/cache` (L1 + Redis L2). */
export const CACHE = createToken<Cache>('@trellis/core.Cache');
/** Read-only typed configuration; default a static object, replaced by `@trellis/config`. */
export const CONFIG_READER = createToken<ConfigReader>('@trellis/core.ConfigReader');
/** Security-relevant event log; default in-memory, replaced by `@trellis/security` (tamper-evident). */
export const AUDIT_LOG = createToken<AuditLog>('@trellis/core.AuditLog');
/** Permission decisions; default grant list, replaced by `@trellis/security` (RBAC). */
export const AUTHORIZER = createToken<Authorizer>('@trellis/core.Authorizer');
/** Named health checks and the aggregate report served at `/health`. */
export const HEALTH_REGISTRY = createToken<HealthRegistry>('@trellis/core.HealthRegistry');
/** The platform's typed event bus; default in-process. */
export const EVENT_BUS = createToken<EventBus<TrellisEvents>>('@trellis/core.EventBus');
/** Time source for timeouts, TTLs and timestamps; tests inject a {@link ManualClock}. */
export const CLOCK = createToken<Clock>('@trellis/core.Clock');
/** HTTP routes for plugins; provided by the host application (no default in core). */
export const HTTP_ROUTER = createToken<HttpRouter>('@trellis/core.HttpRouter');

/** Start, stop and restart plugins; provided by `@trellis/lifecycle`'s plugin manager. */
export const PLUGIN_CONTROL = createToken<PluginControl>('@trellis/core.PluginControl');

/** Where to get a provider for each core token that has no default, for "missing dependency" errors. */
export const CORE_TOKEN_PROVIDERS: ReadonlyMap<symbol, string> = new Map<symbol, string>([
  [LOGGER, 'createObservabilityModule() from @trellis/observability, or core defaults'],
  [METRICS, 'createObservabilityModule() from @trellis/observability, or core defaults'],
  [TRACER, 'createObservabilityModule() from @trellis/observability, or core defaults'],
  [CACHE, 'createCacheModule() from @trellis/cache, or core defaults'],
  [CONFIG_READER, 'createConfigModule() from @trellis/config, or core defaults'],
  [AUDIT_LOG, 'createSecurityModule() from @trellis/security, or core defaults'],
  [AUTHORIZER, 'createSecurityModule() from @trellis/security, or core defaults'],
  [HEALTH_REGISTRY, 'createResilienceModule() from @trellis/resilience, or core defaults'],
  [EVENT_BUS, 'core defaults'],
  [CLOCK, 'core defaults'],
  [HTTP_ROUTER, "the host application's HTTP module (see createHttpModule() in apps/reference)"],
  [PLUGIN_CONTROL, 'createLifecycleModule() from @trellis/lifecycle'],
]);

/** Where a provider of `token` can be found, for "missing dependency" and "not registered" errors. */
export function providerHint(token: symbol): string {
  const known = CORE_TOKEN_PROVIDERS.get(token);
  if (known) return known;
  const pkg = /^(@[^/]+\/[^.]+)\./.exec(tokenName(token))?.[1];
  return pkg ? `a module from ${pkg}` : 'a module that lists it in "provides"';
}
