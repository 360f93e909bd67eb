import { type Clock, type Disposer, systemClock, toDisposer } from '@trellis/core';
import { ActivationDuplicateError } from '../errors.js';
import {
  type ActivationEvent,
  type ActivationTrigger,
  activationValue,
  routePrefixesOf,
} from './activation-events.js';

/** A plugin that starts on the first of its activation events, registered with {@link ActivationController}. */
export interface LazyPlugin {
  readonly name: string;
  /** The events that activate it; see {@link parseActivationEvent}. */
  readonly events: readonly ActivationEvent[];
  /** Loads and starts the plugin. Called at most once until {@link ActivationController.reset}. */
  readonly activate: () => Promise<void>;
}

/** Where a registered lazy plugin stands. */
export type ActivationState = 'inactive' | 'activating' | 'active' | 'failed';

/** Sent to {@link ActivationController.onActivated} listeners. */
export interface PluginActivated {
  readonly name: string;
  /** The trigger that started the activation. */
  readonly trigger: ActivationTrigger;
  /** How long `activate()` took, in ms. */
  readonly durationMs: number;
}

/** Sent to {@link ActivationController.onActivationFailed} listeners. */
export interface PluginActivationFailed {
  readonly name: string;
  /** The trigger that started the activation. */
  readonly trigger: ActivationTrigger;
  /** What `activate()` threw or rejected with. */
  readonly error: unknown;
}

/** Options of {@link ActivationController}. */
export interface ActivationControllerOptions {
  /** Times activations; default the system clock. */
  readonly clock?: Clock;
}

interface Registration {
  readonly plugin: LazyPlugin;
  readonly order: number;
  readonly keys: readonly string[];
  state: ActivationState;
  inflight?: Promise<void>;
}

/**
 * Starts lazy plugins when one of their activation events fires. Each plugin is activated at most
 * once: triggers that arrive while it is activating wait for the same `activate()` call, and a
 * failed activation is remembered (reported once, not retried) until {@link ActivationController.reset}.
 *
 * Lookup does not scan the registered plugins: events are kept in a map keyed by kind and value,
 * and a request path is looked up once per segment (`/a/b/c` looks up `/`, `/a`, `/a/b`,
 * `/a/b/c`), so a trigger costs the same with 10 or 10,000 lazy plugins.
 *
 * @example
 * ```ts
 * const activation = new ActivationController();
 * activation.register({ name: 'billing', events: [parseActivationEvent('onRoute:/billing')!], activate: () => host.start('billing') });
 * activation.onActivationFailed(({ name, error }) => logger.error(`${name} failed to activate`, { error }));
 * await activation.trigger({ kind: 'route', value: request.path }); // before routing the request
 * ```
 */
export class ActivationController {
  readonly #clock: Clock;
  readonly #byName = new Map<string, Registration>();
  readonly #byKey = new Map<string, Set<Registration>>();
  readonly #activatedListeners = new Set<(event: PluginActivated) => void>();
  readonly #failedListeners = new Set<(event: PluginActivationFailed) => void>();
  #nextOrder = 0;

  constructor(options: ActivationControllerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Registers a lazy plugin; it stays `inactive` until a trigger matches one of its events.
   *
   * @returns a disposer that unregisters it (an activation in flight still completes).
   * @throws {@link ActivationDuplicateError} when a plugin of that name is registered already.
   */
  register(plugin: LazyPlugin): Disposer {
    if (this.#byName.has(plugin.name)) {
      throw new ActivationDuplicateError(plugin.name);
    }
    const keys = [...new Set(plugin.events.map((event) => keyOf(event.kind, activationValue(event))))];
    const registration: Registration = { plugin, order: this.#nextOrder++, keys, state: 'inactive' };
    this.#byName.set(plugin.name, registration);
    for (const key of keys) {
      const set = this.#byKey.get(key) ?? new Set();
      set.add(registration);
      this.#byKey.set(key, set);
    }
    return toDisposer(() => this.#unregister(registration));
  }

  /**
   * Activates every registered plugin that `trigger` matches and that is not active yet, and waits
   * for them (and for activations of matching plugins already in flight). Never rejects: a
   * failure goes to {@link ActivationController.onActivationFailed} listeners.
   *
   * @returns the names of the matching plugins that are active afterwards, in registration order.
   */
  async trigger(trigger: ActivationTrigger): Promise<string[]> {
    const matched = this.#lookup(trigger);
    await Promise.all(matched.map((registration) => this.#activate(registration, trigger)));
    return matched.filter((r) => r.state === 'active').map((r) => r.plugin.name);
  }

  /** True once the plugin's `activate()` has resolved (and it has not been reset since). */
  isActive(name: string): boolean {
    return this.#byName.get(name)?.state === 'active';
  }

  /** The plugin's state, or `undefined` when no plugin of that name is registered. */
  state(name: string): ActivationState | undefined {
    return this.#byName.get(name)?.state;
  }

  /** The names of the plugins whose activation is in flight, in registration order. */
  pending(): string[] {
    return [...this.#byName.values()].filter((r) => r.state === 'activating').map((r) => r.plugin.name);
  }

  /**
   * Makes an `active` or `failed` plugin `inactive` again, so the next matching trigger activates
   * it anew (after the host stopped it, or after its code was fixed).
   *
   * @returns `false` when the plugin is unknown, already inactive, or activating (which cannot be undone).
   */
  reset(name: string): boolean {
    const registration = this.#byName.get(name);
    if (
      registration === undefined ||
      registration.state === 'inactive' ||
      registration.state === 'activating'
    ) {
      return false;
    }
    registration.state = 'inactive';
    return true;
  }

  /** Calls `listener` after each plugin's successful activation. */
  onActivated(listener: (event: PluginActivated) => void): Disposer {
    this.#activatedListeners.add(listener);
    return toDisposer(() => this.#activatedListeners.delete(listener));
  }

  /** Calls `listener` once per failed activation; the plugin stays `failed` until reset. */
  onActivationFailed(listener: (event: PluginActivationFailed) => void): Disposer {
    this.#failedListeners.add(listener);
    return toDisposer(() => this.#failedListeners.delete(listener));
  }

  #lookup(trigger: ActivationTrigger): Registration[] {
    const keys =
      trigger.kind === 'route'
        ? routePrefixesOf(trigger.value).map((prefix) => keyOf('route', prefix))
        : [keyOf(trigger.kind, trigger.value)];
    const matched = new Set<Registration>();
    for (const key of keys) {
      for (const registration of this.#byKey.get(key) ?? []) matched.add(registration);
    }
    return [...matched].sort((a, b) => a.order - b.order);
  }

  #activate(registration: Registration, trigger: ActivationTrigger): Promise<void> | undefined {
    if (registration.state === 'activating') return registration.inflight;
    if (registration.state !== 'inactive') return undefined;
    registration.state = 'activating';
    const started = this.#clock.now();
    // async wrapper: an activate() that throws synchronously is a rejection like any other.
    registration.inflight = (async () => registration.plugin.activate())().then(
      () => {
        registration.state = 'active';
        registration.inflight = undefined;
        const event = { name: registration.plugin.name, trigger, durationMs: this.#clock.now() - started };
        notify(this.#activatedListeners, event);
      },
      (error: unknown) => {
        registration.state = 'failed';
        registration.inflight = undefined;
        notify(this.#failedListeners, { name: registration.plugin.name, trigger, error });
      },
    );
    return registration.inflight;
  }

  #unregister(registration: Registration): void {
    if (this.#byName.get(registration.plugin.name) !== registration) return;
    this.#byName.delete(registration.plugin.name);
    for (const key of registration.keys) {
      const set = this.#byKey.get(key);
      set?.delete(registration);
      if (set?.size === 0) this.#byKey.delete(key);
    }
  }
}

function keyOf(kind: ActivationTrigger['kind'], value: string): string {
  return `${kind}\u0000${value}`;
}

function notify<T>(listeners: ReadonlySet<(event: T) => void>, event: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A listener must not be able to break activation state; there is nowhere left to report.
    }
  }
}
