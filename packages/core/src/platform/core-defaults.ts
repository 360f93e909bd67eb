// tsyringe needs the Reflect metadata polyfill loaded before it is imported.
import 'reflect-metadata';
import { type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { LocalEventBus } from '../events/local-event-bus.js';
import type { TrellisEvents } from '../events/trellis-events.js';
import { ConsoleLogger } from '../services/console-logger.js';
import { GrantAuthorizer } from '../services/grant-authorizer.js';
import { LocalHealthRegistry } from '../services/local-health-registry.js';
import type { Logger } from '../services/logger.js';
import { MemoryAuditLog } from '../services/memory-audit-log.js';
import { MemoryCache } from '../services/memory-cache.js';
import { noopMetrics } from '../services/noop-metrics.js';
import { noopTracer } from '../services/noop-tracer.js';
import { StaticConfigReader } from '../services/static-config-reader.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { Token } from '../token.js';
import {
  AUDIT_LOG,
  AUTHORIZER,
  CACHE,
  CLOCK,
  CONFIG_READER,
  EVENT_BUS,
  HEALTH_REGISTRY,
  LOGGER,
  METRICS,
  TRACER,
} from '../tokens.js';
import type { ResolvedPlatformOptions } from './platform-options.js';

type Services = ResolvedPlatformOptions['services'];

/**
 * Registers the kernel services (logger, clock, event bus: always) and the other core defaults
 * (when `coreDefaults` is on), preferring instances passed in `services`. Defaults are created
 * lazily, on first resolve, so an unused default costs nothing.
 */
export function registerCoreDefaults(container: DependencyContainer, options: ResolvedPlatformOptions): void {
  const { services } = options;
  const clock = () => container.resolve<Clock>(CLOCK);
  const lazy = <T>(token: Token<T>, given: T | undefined, create: () => T) => {
    if (given !== undefined) container.register(token, { useValue: given });
    else container.register(token, { useFactory: instanceCachingFactory(create) });
  };

  lazy(CLOCK, services.clock, () => systemClock);
  lazy(LOGGER, services.logger, () => new ConsoleLogger({ level: options.logLevel, clock: clock() }));
  lazy(EVENT_BUS, services.eventBus, () => {
    // Resolved per failure, so a logger registered later by a module is the one that reports.
    const logger = (): Logger => container.resolve<Logger>(LOGGER);
    return new LocalEventBus<TrellisEvents>({
      fallback: (failure) =>
        logger().error({ err: failure.error, event: failure.event }, 'event listener failed'),
    });
  });

  const optional: readonly [keyof Services, Token<unknown>, () => unknown][] = [
    ['metrics', METRICS, () => noopMetrics],
    ['tracer', TRACER, () => noopTracer],
    ['cache', CACHE, () => new MemoryCache({ clock: clock() })],
    ['configReader', CONFIG_READER, () => new StaticConfigReader(options.config)],
    ['auditLog', AUDIT_LOG, () => new MemoryAuditLog({ clock: clock() })],
    ['authorizer', AUTHORIZER, () => new GrantAuthorizer()],
    ['healthRegistry', HEALTH_REGISTRY, () => new LocalHealthRegistry({ clock: clock() })],
  ];
  for (const [key, token, create] of optional) {
    if (services[key] !== undefined || options.coreDefaults) lazy(token, services[key], create);
  }
}
