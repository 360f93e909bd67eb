import type {
  Disposer,
  EventBus,
  HealthCheckResult,
  HealthProbe,
  HealthRegistry,
  TrellisEvents,
} from '@trellis/core';
import type { BreakerState } from '../events/resilience-events.js';
import type { ResilienceHealthCheckOptions } from './health-types.js';

/** What breaker health needs of a circuit breaker; the policies' breakers have this shape. */
export interface BreakerLike {
  readonly name: string;
  state(): BreakerState;
  /** An open critical breaker fails its probes; others only degrade them. Default false. */
  readonly critical?: boolean;
}

/** The breakers to report: a fixed list, or a function returning the current ones. */
export type BreakerSource = readonly BreakerLike[] | (() => readonly BreakerLike[]);

/** Options of {@link registerBreakerHealth}. */
export interface BreakerHealthOptions {
  /** Check name prefix; default `breaker:`. */
  readonly prefix?: string;
  /** The probes breaker checks answer; default `['readiness']` (an open breaker is no reason to restart). */
  readonly probes?: readonly HealthProbe[];
  /** Breakers treated as critical besides those whose `critical` is true. */
  readonly critical?: readonly string[] | ((name: string) => boolean);
  /** Re-sync on every `resilience.breaker` event, so a breaker created later is reported once it moves. */
  readonly bus?: EventBus<TrellisEvents>;
}

/** The checks {@link registerBreakerHealth} keeps; dispose to remove them all. */
export interface BreakerHealthBinding extends Disposer {
  /** Registers checks for new breakers and removes those of breakers gone. */
  sync(): void;
  /** The check names registered now. */
  names(): readonly string[];
}

/**
 * Puts circuit breakers into the health model: one check per breaker (`breaker:<name>`). Closed
 * passes; half-open is `warn` (recovering); open or isolated is `warn` (degraded: calls through it
 * are refused) unless the breaker is critical, then `fail`. Breaker state is read live (no cache).
 */
export function registerBreakerHealth(
  registry: HealthRegistry,
  source: BreakerSource,
  options: BreakerHealthOptions = {},
): BreakerHealthBinding {
  const prefix = options.prefix ?? 'breaker:';
  const current = typeof source === 'function' ? source : () => source;
  const isCritical = (breaker: BreakerLike): boolean => {
    if (breaker.critical) return true;
    const marked = options.critical;
    if (typeof marked === 'function') return marked(breaker.name);
    return marked?.includes(breaker.name) ?? false;
  };
  const registered = new Map<string, { readonly breaker: BreakerLike; readonly disposer: Disposer }>();

  const sync = (): void => {
    const present = new Map(current().map((breaker) => [breaker.name, breaker]));
    for (const [name, entry] of registered) {
      // Gone, or replaced by another object of the same name (a policy rebuilt).
      if (present.get(name) === entry.breaker) continue;
      entry.disposer.dispose();
      registered.delete(name);
    }
    for (const [name, breaker] of present) {
      if (registered.has(name)) continue;
      const critical = isCritical(breaker);
      const checkOptions: ResilienceHealthCheckOptions = {
        probes: options.probes ?? ['readiness'],
        critical,
        cacheMs: 0,
      };
      const disposer = registry.register(
        `${prefix}${name}`,
        () => breakerHealth(breaker, critical),
        checkOptions,
      );
      registered.set(name, { breaker, disposer });
    }
  };

  sync();
  const subscription = options.bus?.on('resilience.breaker', () => sync());
  return {
    sync,
    names: () => [...registered.keys()].map((name) => `${prefix}${name}`),
    dispose() {
      subscription?.dispose();
      for (const entry of registered.values()) entry.disposer.dispose();
      registered.clear();
    },
  };
}

function breakerHealth(breaker: BreakerLike, critical: boolean): HealthCheckResult {
  const state = breaker.state();
  switch (state) {
    case 'closed':
      return { status: 'pass', details: { state } };
    case 'half-open':
      return {
        status: 'warn',
        message: 'half-open: trial calls decide whether it closes',
        details: { state },
      };
    default:
      return {
        status: critical ? 'fail' : 'warn',
        message: state === 'isolated' ? 'isolated by hand: calls are refused' : 'open: calls are refused',
        details: { state },
      };
  }
}
