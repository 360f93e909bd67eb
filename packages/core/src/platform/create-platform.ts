// tsyringe needs the Reflect metadata polyfill loaded before it is imported.
import 'reflect-metadata';
import { type DependencyContainer, container as tsyringeRoot } from 'tsyringe';
import { describeError } from '../errors/describe-error.js';
import {
  ModuleStartError,
  PlatformOptionsInvalidError,
  PlatformStateError,
  ProviderNotRegisteredError,
} from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { TrellisEvents } from '../events/trellis-events.js';
import { resolveService } from '../resolve-service.js';
import type { Logger } from '../services/logger.js';
import type { Clock } from '../time/clock.js';
import { DeadlineExceededError, withDeadline } from '../time/deadline.js';
import type { Token } from '../token.js';
import { CLOCK, EVENT_BUS, LOGGER } from '../tokens.js';
import { registerCoreDefaults } from './core-defaults.js';
import { assertModule, type ModuleContext, type TrellisModule } from './module.js';
import { planModules } from './module-plan.js';
import type { Platform } from './platform.js';
import {
  type PlatformOptions,
  PlatformOptionsSchema,
  type ResolvedPlatformOptions,
} from './platform-options.js';
import type {
  ModuleStartTiming,
  ModuleStopResult,
  PlatformState,
  StartReport,
  StopReport,
} from './platform-reports.js';

/**
 * Creates a {@link Platform}: a child container of tsyringe's root (or of `options.parent`) with
 * the core services registered. Nothing starts until `start()`.
 *
 * @example
 * ```ts
 * const platform = createPlatform({ name: 'shop', modules: [createCacheModule()] });
 * await platform.start();
 * installShutdownHandlers(platform);
 * ```
 * @throws {@link PlatformOptionsInvalidError} listing every invalid option.
 */
export function createPlatform(options: PlatformOptions = {}): Platform {
  const parsed = PlatformOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new PlatformOptionsInvalidError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  for (const module of parsed.data.modules) assertModule(module);
  return new TrellisPlatform(parsed.data);
}

class TrellisPlatform implements Platform {
  readonly name: string;
  readonly container: DependencyContainer;
  readonly #options: ResolvedPlatformOptions;
  readonly #modules: TrellisModule[];
  readonly #abort = new AbortController();
  #order: readonly TrellisModule[] = [];
  #started: TrellisModule[] = [];
  #state: PlatformState = 'created';
  #logger: Logger;
  #events: EventBus<TrellisEvents>;
  #clock: Clock;
  #starting: Promise<StartReport> | undefined;
  #stopping: Promise<StopReport> | undefined;

  constructor(options: ResolvedPlatformOptions) {
    this.#options = options;
    this.name = options.name;
    this.#modules = [...options.modules];
    this.container = (options.parent ?? tsyringeRoot).createChildContainer();
    registerCoreDefaults(this.container, options);
    this.#clock = resolveService(this.container, CLOCK);
    this.#logger = resolveService(this.container, LOGGER).child({ platform: this.name });
    this.#events = resolveService(this.container, EVENT_BUS);
  }

  get state(): PlatformState {
    return this.#state;
  }

  get events(): EventBus<TrellisEvents> {
    return this.#events;
  }

  get logger(): Logger {
    return this.#logger;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  use(module: TrellisModule): this {
    if (this.#state !== 'created') {
      throw new PlatformStateError(
        `add module "${module?.name}"`,
        this.#state,
        'Add modules before start().',
      );
    }
    assertModule(module);
    this.#modules.push(module);
    return this;
  }

  moduleNames(): readonly string[] {
    return (this.#order.length > 0 ? this.#order : this.#modules).map((m) => m.name);
  }

  resolve<T>(token: Token<T>): T {
    return resolveService(this.container, token);
  }

  isProvided(token: Token<unknown>): boolean {
    return this.container.isRegistered(token, true);
  }

  start(): Promise<StartReport> {
    if (this.#state !== 'created') {
      return Promise.reject(
        new PlatformStateError(
          'start',
          this.#state,
          'A platform starts once; create a new one with createPlatform().',
        ),
      );
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  stop(reason = 'stop() called'): Promise<StopReport> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #start(): Promise<StartReport> {
    const startedAt = this.#clock.now();
    this.#events.emit('platform.starting', { platform: this.name });
    const timings = new Map<string, { registerMs: number; startMs: number }>();
    try {
      this.#order = planModules(this.#modules, (token) => this.container.isRegistered(token, true)).order;
      for (const module of this.#order)
        timings.set(module.name, { registerMs: this.#register(module), startMs: 0 });
      // A module may have replaced the logger or the event bus; use what is registered now.
      this.#logger = resolveService(this.container, LOGGER).child({ platform: this.name });
      this.#events = resolveService(this.container, EVENT_BUS);
      for (const module of this.#order) {
        if (this.#abort.signal.aborted) break;
        const timing = timings.get(module.name) as { startMs: number };
        timing.startMs = await this.#startModule(module);
      }
    } catch (error) {
      this.#logger.error({ err: error }, 'platform start failed; stopping modules already started');
      await this.#stopStarted();
      this.#state = 'failed';
      throw error;
    }
    const interrupted = this.#abort.signal.aborted;
    if (!interrupted) this.#state = 'started';
    const durationMs = this.#clock.now() - startedAt;
    const modules: ModuleStartTiming[] = this.#started.map((m) => ({
      module: m.name,
      ...(timings.get(m.name) as { registerMs: number; startMs: number }),
    }));
    this.#events.emit('platform.started', { platform: this.name, durationMs });
    this.#logger.info({ durationMs, modules: modules.length, interrupted }, 'platform started');
    return { platform: this.name, durationMs, modules, interrupted };
  }

  #register(module: TrellisModule): number {
    const startedAt = this.#clock.now();
    try {
      module.register(this.container);
    } catch (error) {
      this.#events.emit('module.failed', { module: module.name, phase: 'register', error });
      throw new ModuleStartError(module.name, 'register', error);
    }
    for (const token of module.provides ?? []) {
      if (!this.container.isRegistered(token, false))
        throw new ProviderNotRegisteredError(module.name, token);
    }
    return this.#clock.now() - startedAt;
  }

  async #startModule(module: TrellisModule): Promise<number> {
    const startedAt = this.#clock.now();
    if (module.start) {
      const ms = module.startTimeoutMs ?? this.#options.startTimeoutMs;
      try {
        await withDeadline(
          Promise.resolve().then(() => module.start?.(this.#context(module))),
          { ms, clock: this.#clock, what: `module "${module.name}" start`, fix: startFix(module.name) },
        );
      } catch (error) {
        this.#events.emit('module.failed', { module: module.name, phase: 'start', error });
        // A start that timed out may still finish later; stop it like a started module.
        if (error instanceof DeadlineExceededError) this.#started.push(module);
        throw new ModuleStartError(module.name, 'start', error);
      }
    }
    this.#started.push(module);
    const durationMs = this.#clock.now() - startedAt;
    this.#events.emit('module.started', { module: module.name, durationMs });
    return durationMs;
  }

  async #stop(reason: string): Promise<StopReport> {
    const startedAt = this.#clock.now();
    this.#abort.abort(reason);
    // Let an in-flight start() reach a module boundary; it rolls back by itself if it fails.
    await this.#starting?.catch(() => undefined);
    const failedBefore = this.#state === 'failed';
    this.#state = 'stopping';
    this.#events.emit('platform.stopping', { platform: this.name, reason });
    this.#logger.info({ reason }, 'platform stopping');
    const modules = await this.#stopStarted();
    try {
      await this.container.dispose();
    } catch (error) {
      this.#logger.error({ err: error }, 'disposing the platform container failed');
    }
    const durationMs = this.#clock.now() - startedAt;
    this.#state = failedBefore ? 'failed' : 'stopped';
    this.#events.emit('platform.stopped', { platform: this.name, durationMs });
    this.#logger.info({ durationMs }, 'platform stopped');
    const clean = modules.every((m) => m.outcome === 'stopped');
    return { platform: this.name, reason, durationMs, modules, clean };
  }

  async #stopStarted(): Promise<ModuleStopResult[]> {
    const results: ModuleStopResult[] = [];
    while (this.#started.length > 0) {
      const module = this.#started.pop() as TrellisModule;
      results.push(await this.#stopModule(module));
    }
    return results;
  }

  async #stopModule(module: TrellisModule): Promise<ModuleStopResult> {
    const startedAt = this.#clock.now();
    let result: ModuleStopResult;
    try {
      if (module.stop) {
        const ms = module.stopTimeoutMs ?? this.#options.stopTimeoutMs;
        await withDeadline(
          Promise.resolve().then(() => module.stop?.(this.#context(module))),
          { ms, clock: this.#clock, what: `module "${module.name}" stop` },
        );
      }
      result = { module: module.name, outcome: 'stopped', durationMs: this.#clock.now() - startedAt };
    } catch (error) {
      const outcome = error instanceof DeadlineExceededError ? 'timeout' : 'failed';
      result = {
        module: module.name,
        outcome,
        durationMs: this.#clock.now() - startedAt,
        error: describeError(error),
      };
      this.#logger.error(
        { err: error, module: module.name },
        `module stop ${outcome === 'timeout' ? 'timed out' : 'failed'}`,
      );
    }
    this.#events.emit('module.stopped', {
      module: module.name,
      durationMs: result.durationMs,
      outcome: result.outcome,
    });
    return result;
  }

  #context(module: TrellisModule): ModuleContext {
    return {
      name: module.name,
      container: this.container,
      logger: this.#logger.child({ module: module.name }),
      signal: this.#abort.signal,
      resolve: <T>(token: Token<T>) => this.resolve(token),
    };
  }
}

function startFix(name: string): string {
  return `Make module "${name}" start faster (move slow work after start), or set its startTimeoutMs.`;
}
