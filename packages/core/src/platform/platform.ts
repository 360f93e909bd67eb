import type { DependencyContainer } from 'tsyringe';
import type { EventBus } from '../events/event-bus.js';
import type { TrellisEvents } from '../events/trellis-events.js';
import type { Logger } from '../services/logger.js';
import type { Token } from '../token.js';
import type { TrellisModule } from './module.js';
import type { PlatformState, StartReport, StopReport } from './platform-reports.js';

/**
 * A running Trellis application: one DI container (a child of tsyringe's root, never the global
 * container itself) with the platform services and the modules' services registered in it.
 * Create one with `createPlatform`.
 */
export interface Platform {
  /** The name given in options, used in logs and reports. */
  readonly name: string;
  /** The platform's own container. Plugins get children of it. */
  readonly container: DependencyContainer;
  /** Current lifecycle state. */
  readonly state: PlatformState;
  /** The platform event bus (whatever provides `EVENT_BUS`). */
  readonly events: EventBus<TrellisEvents>;
  /** The platform logger (whatever provides `LOGGER`). */
  readonly logger: Logger;
  /** Aborts when `stop()` begins. */
  readonly signal: AbortSignal;
  /** Adds a module; only before `start()`. */
  use(module: TrellisModule): this;
  /** Module names in start order (registration order before `start()`). */
  moduleNames(): readonly string[];
  /** Resolves a service; throws `SERVICE_NOT_REGISTERED` naming the token and a provider. */
  resolve<T>(token: Token<T>): T;
  /** True when something is registered for `token`. */
  isProvided(token: Token<unknown>): boolean;
  /**
   * Checks dependencies, registers every module, then starts them in dependency order, each
   * within its deadline. If one fails, those already started are stopped again and the call
   * rejects with `PLATFORM_MODULE_START_FAILED`.
   */
  start(): Promise<StartReport>;
  /**
   * Stops modules in reverse start order, each within its deadline, then disposes the container.
   * Never rejects; safe to call more than once (later calls return the first call's report).
   */
  stop(reason?: string): Promise<StopReport>;
}
