import {
  type Clock,
  type Disposer,
  describeError,
  systemClock,
  toDisposer,
  withDeadline,
} from '@trellis/core';
import { HookOptionsInvalidError, HookVetoedError } from '../errors.js';

/** Payload of the start and stop hooks. */
export interface PluginHookPayload {
  readonly plugin: string;
  readonly version: string;
}

/** Payload of the upgrade hooks: the plugin and the versions it goes `from` and `to`. */
export interface UpgradeHookPayload {
  readonly plugin: string;
  readonly from: string;
  readonly to: string;
}

/** What an `after*` hook learns about the operation that just ended. */
export interface AfterHookResult {
  readonly outcome: 'ok' | 'failed';
  readonly durationMs: number;
  /** The error the operation failed with, when `outcome` is `failed`. */
  readonly error?: unknown;
}

/** The payload of each lifecycle hook, by hook name. */
export interface LifecycleHookEvents {
  beforeStart: PluginHookPayload;
  afterStart: PluginHookPayload & AfterHookResult;
  beforeStop: PluginHookPayload;
  afterStop: PluginHookPayload & AfterHookResult;
  beforeUpgrade: UpgradeHookPayload;
  afterUpgrade: UpgradeHookPayload & AfterHookResult;
}

/** The name of a lifecycle hook. */
export type LifecycleHookName = keyof LifecycleHookEvents;

/** The hooks that run before an operation and may veto it. */
export type BeforeHookName = 'beforeStart' | 'beforeStop' | 'beforeUpgrade';

/** The hooks that run after an operation and can only observe it. */
export type AfterHookName = Exclude<LifecycleHookName, BeforeHookName>;

/** What a `before*` handler returns to refuse the operation; `veto` is the reason. */
export interface HookVeto {
  readonly veto: string;
}

/** A `before*` handler: return (or resolve to) a {@link HookVeto}, or throw, to refuse. */
export type BeforeHookHandler<K extends BeforeHookName> = (
  payload: LifecycleHookEvents[K],
) => HookVeto | undefined | Promise<HookVeto | undefined>;

/** An `after*` handler; what it returns is ignored, what it throws is reported. */
export type AfterHookHandler<K extends AfterHookName> = (
  payload: LifecycleHookEvents[K],
) => void | Promise<void>;

/** The handler type for hook `K`. */
export type LifecycleHookHandler<K extends LifecycleHookName> = K extends BeforeHookName
  ? BeforeHookHandler<K>
  : K extends AfterHookName
    ? AfterHookHandler<K>
    : never;

/** Options of {@link LifecycleHooks.on}. */
export interface HookHandlerOptions {
  /** Names the handler in vetoes and failures; defaults to the function's name. */
  readonly name?: string;
  /** How long the handler may take, in ms; `Infinity` for no deadline. */
  readonly timeoutMs?: number;
}

/** An `after*` handler that threw, rejected or timed out. */
export interface HookFailure {
  readonly hook: LifecycleHookName;
  readonly plugin: string;
  /** The handler's name. */
  readonly handler: string;
  /** What it threw; a `DeadlineExceededError` when it timed out. */
  readonly error: unknown;
  readonly timedOut: boolean;
}

/** Options of {@link LifecycleHooks}. */
export interface LifecycleHooksOptions {
  /** Measures handler deadlines; defaults to the system clock. */
  readonly clock?: Clock;
  /** Deadline of handlers registered without `timeoutMs`; 5,000 ms by default. */
  readonly defaultTimeoutMs?: number;
  /** Told about every failed `after*` handler, as it happens. */
  readonly onHookError?: (failure: HookFailure) => void;
}

interface Registration {
  readonly fn: (payload: unknown) => unknown;
  readonly name: string;
  readonly timeoutMs: number;
}

type Settled =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

const DEFAULT_TIMEOUT_MS = 5_000;
// Shared so that running hooks nobody listens to allocates nothing (they run for every plugin).
const NOTHING_TO_RUN: Promise<void> = Promise.resolve();
const NO_FAILURES: Promise<readonly HookFailure[]> = Promise.resolve(Object.freeze([]));

/**
 * Host-side lifecycle hooks: code that runs before and after a plugin starts, stops or upgrades.
 *
 * `before*` handlers run one after another in registration order and can veto the operation;
 * `after*` handlers run the same way but cannot: the operation already happened, so their
 * failures are collected and reported, never thrown. Every handler runs within a deadline.
 *
 * @example
 * ```ts
 * hooks.on('beforeStop', ({ plugin }) => (plugin === 'billing' && busy() ? { veto: 'invoices in flight' } : undefined));
 * await hooks.runBefore('beforeStop', { plugin: 'billing', version: '1.2.0' }); // throws PLUGIN_HOOK_VETOED
 * ```
 */
export class LifecycleHooks {
  // Copy-on-write: a run iterates a snapshot, so (un)registering during a run affects the next one.
  readonly #handlers = new Map<LifecycleHookName, readonly Registration[]>();
  readonly #clock: Clock;
  readonly #defaultTimeoutMs: number;
  readonly #onHookError: ((failure: HookFailure) => void) | undefined;
  #anonymous = 0;

  constructor(options: LifecycleHooksOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#defaultTimeoutMs = validTimeout('defaultTimeoutMs', options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#onHookError = options.onHookError;
  }

  /** Registers `handler` for hook `name`; dispose the result to remove it. */
  on<K extends LifecycleHookName>(
    name: K,
    handler: LifecycleHookHandler<K>,
    options: HookHandlerOptions = {},
  ): Disposer {
    const registration: Registration = {
      fn: handler as (payload: unknown) => unknown,
      name: options.name ?? ((handler as { name?: string }).name || `${name} handler #${++this.#anonymous}`),
      timeoutMs: validTimeout('timeoutMs', options.timeoutMs ?? this.#defaultTimeoutMs),
    };
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), registration]);
    return toDisposer(() => {
      const remaining = (this.#handlers.get(name) ?? []).filter((r) => r !== registration);
      if (remaining.length > 0) this.#handlers.set(name, remaining);
      else this.#handlers.delete(name);
    });
  }

  /** How many handlers hook `name` has, so callers can skip building a payload nobody reads. */
  handlerCount(name: LifecycleHookName): number {
    return this.#handlers.get(name)?.length ?? 0;
  }

  /**
   * Runs the handlers of a `before*` hook in registration order.
   *
   * @throws HookVetoedError at the first handler that returns `{ veto }`, throws, or misses its
   *   deadline; the handlers after it do not run.
   */
  runBefore<K extends BeforeHookName>(name: K, payload: LifecycleHookEvents[K]): Promise<void> {
    const handlers = this.#handlers.get(name);
    if (!handlers) return NOTHING_TO_RUN;
    return this.#runBefore(name, payload, handlers);
  }

  /**
   * Runs every handler of an `after*` hook in registration order. Never rejects: the failures
   * are returned and passed to `onHookError`.
   */
  runAfter<K extends AfterHookName>(
    name: K,
    payload: LifecycleHookEvents[K],
  ): Promise<readonly HookFailure[]> {
    const handlers = this.#handlers.get(name);
    if (!handlers) return NO_FAILURES;
    return this.#runAfter(name, payload, handlers);
  }

  async #runBefore(
    name: BeforeHookName,
    payload: LifecycleHookEvents[BeforeHookName],
    handlers: readonly Registration[],
  ): Promise<void> {
    for (const handler of handlers) {
      let settled: Settled;
      try {
        settled = await this.#invoke(name, handler, payload);
      } catch {
        // #invoke rejects only when the deadline passes.
        throw new HookVetoedError(
          name,
          payload.plugin,
          `it timed out after ${handler.timeoutMs} ms`,
          handler.name,
        );
      }
      if (!settled.ok)
        throw new HookVetoedError(name, payload.plugin, describeError(settled.error), handler.name);
      if (isVeto(settled.value)) {
        throw new HookVetoedError(
          name,
          payload.plugin,
          settled.value.veto || '(no reason given)',
          handler.name,
        );
      }
    }
  }

  async #runAfter(
    name: AfterHookName,
    payload: LifecycleHookEvents[AfterHookName],
    handlers: readonly Registration[],
  ): Promise<readonly HookFailure[]> {
    const failures: HookFailure[] = [];
    for (const handler of handlers) {
      let failure: HookFailure | undefined;
      try {
        const settled = await this.#invoke(name, handler, payload);
        if (!settled.ok) {
          failure = {
            hook: name,
            plugin: payload.plugin,
            handler: handler.name,
            error: settled.error,
            timedOut: false,
          };
        }
      } catch (error) {
        // #invoke rejects only when the deadline passes, with a DeadlineExceededError.
        failure = { hook: name, plugin: payload.plugin, handler: handler.name, error, timedOut: true };
      }
      if (failure) {
        failures.push(failure);
        this.#report(failure);
      }
    }
    return failures;
  }

  /**
   * Calls a handler and settles its outcome into a value, so that the only way the returned
   * promise rejects is its deadline: a handler that throws a `DeadlineExceededError` of its own
   * is then not mistaken for one that timed out.
   */
  #invoke(hook: LifecycleHookName, handler: Registration, payload: unknown): Promise<Settled> | Settled {
    let result: unknown;
    try {
      result = handler.fn(payload);
    } catch (error) {
      return { ok: false, error };
    }
    // A synchronous handler needs no timer.
    if (!isPromiseLike(result)) return { ok: true, value: result };
    const settled = Promise.resolve(result).then(
      (value): Settled => ({ ok: true, value }),
      (error: unknown): Settled => ({ ok: false, error }),
    );
    if (handler.timeoutMs === Number.POSITIVE_INFINITY) return settled;
    return withDeadline(settled, {
      ms: handler.timeoutMs,
      clock: this.#clock,
      what: `${hook} hook "${handler.name}" for plugin "${(payload as { plugin: string }).plugin}"`,
      fix: `Make the hook finish sooner, or register it with a larger "timeoutMs".`,
    });
  }

  #report(failure: HookFailure): void {
    try {
      this.#onHookError?.(failure);
    } catch {
      // runAfter promises never to throw: a broken reporter must not turn into a failed start.
    }
  }
}

function validTimeout(option: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new HookOptionsInvalidError(
      option,
      value,
      'a number of milliseconds above 0 (or Infinity for no deadline)',
    );
  }
  return value;
}

function isVeto(value: unknown): value is HookVeto {
  return (
    typeof value === 'object' && value !== null && typeof (value as { veto?: unknown }).veto === 'string'
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
