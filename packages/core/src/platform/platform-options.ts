import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import type { EventBus } from '../events/event-bus.js';
import type { TrellisEvents } from '../events/trellis-events.js';
import type { AuditLog } from '../services/audit-log.js';
import type { Authorizer } from '../services/authorizer.js';
import type { Cache } from '../services/cache.js';
import type { ConfigReader } from '../services/config-reader.js';
import type { HealthRegistry } from '../services/health-registry.js';
import type { Logger } from '../services/logger.js';
import type { Metrics } from '../services/metrics.js';
import type { Tracer } from '../services/tracer.js';
import type { Clock } from '../time/clock.js';
import type { TrellisModule } from './module.js';

const object = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'object' && value !== null, { message: `expected ${what}` });

/** Ready-made service instances that replace the core defaults. */
export const PlatformServicesSchema = z
  .object({
    logger: object<Logger>('a Logger').optional(),
    clock: object<Clock>('a Clock').optional(),
    eventBus: object<EventBus<TrellisEvents>>('an EventBus').optional(),
    metrics: object<Metrics>('a Metrics').optional(),
    tracer: object<Tracer>('a Tracer').optional(),
    cache: object<Cache>('a Cache').optional(),
    configReader: object<ConfigReader>('a ConfigReader').optional(),
    auditLog: object<AuditLog>('an AuditLog').optional(),
    authorizer: object<Authorizer>('an Authorizer').optional(),
    healthRegistry: object<HealthRegistry>('a HealthRegistry').optional(),
  })
  .strict();

/** Options of `createPlatform`; parsed with {@link PlatformOptionsSchema}. */
export const PlatformOptionsSchema = z
  .object({
    /** Names the platform in logs and reports. */
    name: z.string().min(1).default('trellis'),
    /** Modules to register; more can be added with `use()` before `start()`. */
    modules: z.array(object<TrellisModule>('a module')).default([]),
    /**
     * Register the small defaults for metrics, tracer, cache, config, audit log, authorizer and
     * health. Logger, clock and event bus are always present: the platform itself uses them.
     */
    coreDefaults: z.boolean().default(true),
    /** Instances that replace defaults, e.g. `{ clock: new ManualClock() }` in tests. */
    services: PlatformServicesSchema.default({}),
    /** Values served by the default config reader. */
    config: z.record(z.string(), z.unknown()).default({}),
    /** Level of the default console logger. */
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Deadline for each module's `start`, unless the module sets its own. */
    startTimeoutMs: z.number().int().positive().default(10_000),
    /** Deadline for each module's `stop`, unless the module sets its own. */
    stopTimeoutMs: z.number().int().positive().default(5_000),
    /** Parent container; default tsyringe's root. The platform always works in a child of it. */
    parent: object<DependencyContainer>('a tsyringe DependencyContainer').optional(),
  })
  .strict();

/** What `createPlatform` accepts (every field optional). */
export type PlatformOptions = z.input<typeof PlatformOptionsSchema>;

/** Options after defaults are applied. */
export type ResolvedPlatformOptions = z.output<typeof PlatformOptionsSchema>;
