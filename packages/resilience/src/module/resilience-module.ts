import {
  CLOCK,
  type Clock,
  CONFIG_READER,
  type ConfigReader,
  type Disposer,
  defineModule,
  EVENT_BUS,
  type EventBus,
  HEALTH_REGISTRY,
  LOGGER,
  optional,
  resolveService,
  type TrellisEvents,
  type TrellisModule,
} from '@trellis/core';
import { FaultInjector } from '../chaos/fault-injection.js';
import { ResilienceHealthRegistry } from '../health/resilience-health-registry.js';
import { LimiterRegistry } from '../limits/limiter-registry.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { touchesPath } from '../shared/config-path.js';
import { CHAOS, LIMITERS, POLICIES } from '../tokens.js';
import { EventLoopWatchdog } from '../watchdog/event-loop-watchdog.js';
import {
  parseResilienceConfig,
  type ResilienceConfig,
  type ResilienceConfigInput,
} from './resilience-config.js';

/** Options of {@link createResilienceModule}. */
export interface ResilienceModuleOptions {
  /** The `resilience` config section; default `{}` (safe defaults everywhere). */
  readonly config?: ResilienceConfigInput;
  /**
   * Follow `resilience.policies` and `resilience.chaos` in the platform's `CONFIG_READER`, so a
   * config reload changes policies and switches chaos live; default true when a reader exists.
   */
  readonly watchConfig?: boolean;
  /**
   * What a chaos `crash` fault does to its target (`plugin:<name>`...): the reference app kills
   * the plugin's worker or process so its supervisor has something to heal. Default: the call
   * just fails.
   */
  readonly crash?: (target: string) => void;
}

/** The services {@link createResilienceModule} registers, for hosts that want them directly. */
export interface ResilienceServices {
  readonly config: ResilienceConfig;
  readonly health: ResilienceHealthRegistry;
  readonly policies: PolicyRegistry;
  readonly limiters: LimiterRegistry;
  readonly chaos: FaultInjector;
}

/**
 * The resilience package as a platform module. It provides `HEALTH_REGISTRY` (liveness,
 * readiness and startup probes with intervals and caching, replacing core's on-demand
 * registry), `POLICIES` (retry, breaker, timeout, bulkhead and fallback per plugin and call
 * site), `LIMITERS` (adaptive concurrency per plugin) and `CHAOS` (fault injection, off unless
 * configured). On start it runs the health scheduler and, when enabled, the event-loop watchdog.
 * Plugin supervision lives in {@link createSupervisionModule}, which needs the plugin host.
 *
 * @example
 * ```ts
 * createPlatform({ modules: [createResilienceModule({ config: settings.resilience }), ...] });
 * ```
 */
export function createResilienceModule(options: ResilienceModuleOptions = {}): TrellisModule {
  const config = parseResilienceConfig(options.config);
  let services: ResilienceServices | undefined;
  let watchdog: EventLoopWatchdog | undefined;
  const subscriptions: Disposer[] = [];
  return defineModule({
    name: 'resilience',
    provides: [HEALTH_REGISTRY, POLICIES, LIMITERS, CHAOS],
    dependsOn: [EVENT_BUS, optional(CONFIG_READER)],
    register(container) {
      const clock: Clock = resolveService(container, CLOCK);
      const bus: EventBus<TrellisEvents> = resolveService(container, EVENT_BUS);
      services = {
        config,
        health: new ResilienceHealthRegistry({ ...config.health, clock, bus }),
        policies: new PolicyRegistry(config.policies, { clock, bus }),
        limiters: new LimiterRegistry({ clock, bus }),
        chaos: new FaultInjector(config.chaos, {
          clock,
          bus,
          ...(options.crash
            ? { crash: (error) => options.crash?.(String(error.details?.target ?? '')) }
            : {}),
        }),
      };
      container.register(HEALTH_REGISTRY, { useValue: services.health });
      container.register(POLICIES, { useValue: services.policies });
      container.register(LIMITERS, { useValue: services.limiters });
      container.register(CHAOS, { useValue: services.chaos });
    },
    async start(context) {
      const current = services as ResilienceServices;
      current.health.start();
      if (options.watchConfig !== false && context.container.isRegistered(CONFIG_READER, true)) {
        const reader: ConfigReader = context.resolve(CONFIG_READER);
        subscriptions.push(
          current.policies.watch(reader, 'resilience.policies', (error) =>
            context.logger.error(
              { err: error },
              'resilience.policies rejected; keeping the previous policies',
            ),
          ),
        );
        subscriptions.push(
          reader.onChange((change) => {
            if (!touchesPath(change.paths, 'resilience.chaos')) return;
            try {
              current.chaos.update(reader.get('resilience.chaos') ?? {});
              context.logger.warn({ enabled: current.chaos.enabled }, 'chaos configuration changed');
            } catch (error) {
              context.logger.error(
                { err: error },
                'resilience.chaos rejected; keeping the previous chaos rules',
              );
            }
          }),
        );
      }
      if (config.watchdog.enabled) {
        const { enabled: _enabled, ...watchdogConfig } = config.watchdog;
        watchdog = new EventLoopWatchdog({
          ...watchdogConfig,
          bus: context.resolve(EVENT_BUS),
          logger: context.resolve(LOGGER).child({ component: 'watchdog' }),
        });
        await watchdog.start();
      }
    },
    async stop() {
      for (const subscription of subscriptions.splice(0)) subscription.dispose();
      await watchdog?.stop();
      services?.health.stop();
      services?.policies.dispose();
    },
  });
}
