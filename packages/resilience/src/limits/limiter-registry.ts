import type { Clock, EventBus, TrellisEvents } from '@trellis/core';
import { AdaptiveConcurrencyLimiter, type LimiterStats } from './adaptive-limit.js';
import { type AdaptiveLimitConfig, parseAdaptiveLimitConfig } from './adaptive-limit-schema.js';

/** A limiter config without its name: the registry names limiters by key. */
export type LimiterOverrides = Omit<AdaptiveLimitConfig, 'name'>;

/** Options of {@link LimiterRegistry}. */
export interface LimiterRegistryOptions {
  /** Config every limiter starts from. */
  readonly defaults?: LimiterOverrides;
  /** Per-plugin overrides by plugin name, merged over `defaults` (`aimd`/`gradient2` field by field). */
  readonly plugins?: Readonly<Record<string, LimiterOverrides>>;
  readonly clock?: Clock;
  readonly bus?: EventBus<TrellisEvents>;
}

/**
 * One {@link AdaptiveConcurrencyLimiter} per plugin (or any key), created on first use: each
 * plugin's downstream has its own capacity, so one slow plugin must not shrink another's limit.
 * Every config is validated when the registry is built, so a typo fails at boot, not on the
 * first call.
 */
export class LimiterRegistry {
  readonly #limiters = new Map<string, AdaptiveConcurrencyLimiter>();
  readonly #options: LimiterRegistryOptions;

  constructor(options: LimiterRegistryOptions = {}) {
    this.#options = options;
    parseAdaptiveLimitConfig(options.defaults ?? {});
    for (const plugin of Object.keys(options.plugins ?? {}))
      parseAdaptiveLimitConfig(this.#configFor(plugin));
  }

  /** The limiter of plugin `plugin`, named `plugin:<plugin>`. */
  forPlugin(plugin: string): AdaptiveConcurrencyLimiter {
    return this.get(`plugin:${plugin}`, this.#configFor(plugin));
  }

  /** The limiter under `name`, created from `defaults` merged with `overrides` on first use. */
  get(name: string, overrides: LimiterOverrides = {}): AdaptiveConcurrencyLimiter {
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      limiter = new AdaptiveConcurrencyLimiter(
        { ...merge(this.#options.defaults ?? {}, overrides), name },
        { clock: this.#options.clock, bus: this.#options.bus },
      );
      this.#limiters.set(name, limiter);
    }
    return limiter;
  }

  /** Forgets the limiter under `name` (e.g. a plugin was uninstalled); its permits stay valid. */
  delete(name: string): boolean {
    return this.#limiters.delete(name);
  }

  /** Stats of every limiter created so far. */
  stats(): LimiterStats[] {
    return [...this.#limiters.values()].map((limiter) => limiter.stats());
  }

  #configFor(plugin: string): LimiterOverrides {
    return merge(this.#options.defaults ?? {}, this.#options.plugins?.[plugin] ?? {});
  }
}

/** Builds a {@link LimiterRegistry}. */
export function createLimiterRegistry(options: LimiterRegistryOptions = {}): LimiterRegistry {
  return new LimiterRegistry(options);
}

function merge(base: LimiterOverrides, over: LimiterOverrides): LimiterOverrides {
  const merged: LimiterOverrides = { ...base, ...over };
  if (base.aimd || over.aimd) merged.aimd = { ...base.aimd, ...over.aimd };
  if (base.gradient2 || over.gradient2) merged.gradient2 = { ...base.gradient2, ...over.gradient2 };
  return merged;
}
