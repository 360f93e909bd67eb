import '../events/resilience-events.js';
import {
  type Clock,
  type Disposer,
  type EventBus,
  systemClock,
  type TimerHandle,
  type TrellisEvents,
  toDisposer,
} from '@trellis/core';
import type { BreakerState } from '../events/resilience-events.js';
import { BreakerOpenError } from './policy-errors.js';
import type { BreakerConfig } from './policy-schema.js';
import { SlidingWindow } from './sliding-window.js';

/** A state change, as {@link CircuitBreaker.onTransition} reports it (shared state relays it). */
export interface BreakerTransition {
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
  /** When an open breaker will let a probe through (epoch ms); 0 unless `to` is `open`. */
  readonly openUntil: number;
  /** True when another instance caused it (see `shared-breaker-state.ts`): not to be relayed again. */
  readonly remote: boolean;
}

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  readonly clock?: Clock;
  /** Receives `resilience.breaker`; payloads are built only while someone listens. */
  readonly bus?: EventBus<TrellisEvents>;
}

/** The ticket {@link CircuitBreaker.tryAcquire} returns for a refused call. */
export const REFUSED = 0;

const noop = () => {};

/**
 * A circuit breaker on an injected clock, fixing three traps of the usual designs:
 *
 * - It can open at low traffic: in `sampling` mode a window too quiet for its ratio to mean
 *   anything falls back to the consecutive-failure rule.
 * - An idle breaker recovers: a timer moves it to half-open after `halfOpenAfterMs` (cockatiel
 *   only checks on the next call), so probes, dashboards and shared state see it recover.
 * - Failing fast is O(1) and allocation-free: the refusal error and its rejected promise are
 *   built once per opening ({@link CircuitBreaker.rejection}).
 *
 * Each admitted call gets a ticket (the breaker's generation); outcomes of calls admitted
 * before the last state change are ignored, so a slow call that started while closed cannot
 * pass for a half-open probe.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly config: BreakerConfig;
  /** True while every call is refused (open or isolated): the one field the fast path reads. */
  blocked = false;
  readonly #clock: Clock;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #window: SlidingWindow | undefined;
  #state: BreakerState = 'closed';
  #generation = 1;
  #consecutive = 0;
  #openUntil = 0;
  #probesInFlight = 0;
  #probeSuccesses = 0;
  #isolations = 0;
  #timer: TimerHandle | undefined;
  #error: BreakerOpenError;
  #rejection: Promise<never>;
  #listeners: readonly ((transition: BreakerTransition) => void)[] = [];

  constructor(name: string, config: BreakerConfig, options: CircuitBreakerOptions = {}) {
    this.name = name;
    this.config = config;
    this.#clock = options.clock ?? systemClock;
    this.#bus = options.bus;
    this.#window = config.mode === 'sampling' ? new SlidingWindow(config.windowMs) : undefined;
    this.#error = new BreakerOpenError(name, 0, 'not open');
    this.#rejection = this.#rejected();
  }

  /** The current state. */
  get state(): BreakerState {
    return this.#state;
  }

  /** When an open breaker moves to half-open (epoch ms); 0 when not open. */
  get openUntil(): number {
    return this.#state === 'open' ? this.#openUntil : 0;
  }

  /** The error refused calls reject with, rebuilt on each opening. */
  get error(): BreakerOpenError {
    return this.#error;
  }

  /** A pre-rejected promise of {@link CircuitBreaker.error}, returned as is to refused calls. */
  get rejection(): Promise<never> {
    return this.#rejection;
  }

  /**
   * Admits a call: returns its ticket, or {@link REFUSED}. Half-open admits `halfOpenProbes`
   * calls; each admitted call must end with `onSuccess`, `onFailure` or `onIgnored`.
   */
  tryAcquire(): number {
    if (this.#state === 'closed') return this.#generation;
    if (
      this.#state === 'half-open' &&
      this.#probesInFlight + this.#probeSuccesses < this.config.halfOpenProbes
    ) {
      this.#probesInFlight++;
      return this.#generation;
    }
    return REFUSED;
  }

  /** The admitted call succeeded. */
  onSuccess(ticket: number, now?: number): void {
    if (ticket !== this.#generation) return;
    if (this.#state === 'closed') {
      this.#consecutive = 0;
      this.#window?.add(now ?? this.#clock.now(), 1, 0);
      return;
    }
    this.#probesInFlight--;
    if (++this.#probeSuccesses >= this.config.halfOpenProbes) {
      this.#close(`${this.#probeSuccesses} probe(s) succeeded`, false);
    }
  }

  /** The admitted call failed in a way that speaks of the dependency's health. */
  onFailure(ticket: number, now?: number): void {
    if (ticket !== this.#generation) return;
    if (this.#state === 'half-open') {
      this.#open('a half-open probe failed', this.#clock.now() + this.config.halfOpenAfterMs, false);
      return;
    }
    this.#consecutive++;
    const window = this.#window;
    if (window === undefined) {
      if (this.#consecutive >= this.config.threshold)
        this.#openAfterFailures(`${this.#consecutive} consecutive failures`);
      return;
    }
    const at = now ?? this.#clock.now();
    window.add(at, 0, 1);
    const failures = window.second(at);
    const calls = window.first(at) + failures;
    if (calls >= this.config.minThroughput) {
      if (failures / calls >= this.config.ratio) {
        this.#openAfterFailures(`${failures} of ${calls} calls failed within ${this.config.windowMs} ms`);
      }
    } else if (this.config.lowTrafficFallback && this.#consecutive >= this.config.threshold) {
      this.#openAfterFailures(`${this.#consecutive} consecutive failures at low traffic (${calls} calls)`);
    }
  }

  /** The admitted call ended without a verdict (caller abort, filtered error): frees its probe slot. */
  onIgnored(ticket: number): void {
    if (ticket === this.#generation && this.#state === 'half-open') this.#probesInFlight--;
  }

  /** Opens the breaker by hand (e.g. a prediction of failure); it recovers through half-open as usual. */
  open(reason = 'opened by hand', openUntil = this.#clock.now() + this.config.halfOpenAfterMs): void {
    if (this.#state !== 'isolated') this.#open(reason, openUntil, false);
  }

  /** Closes the breaker by hand. */
  reset(reason = 'reset by hand'): void {
    if (this.#state !== 'isolated' && this.#state !== 'closed') this.#close(reason, false);
  }

  /** Holds the breaker open (maintenance, a known-dead dependency) until every handle is disposed. */
  isolate(): Disposer {
    if (this.#isolations++ === 0) {
      this.#cancelTimer();
      this.#error = new BreakerOpenError(this.name, 0, 'isolated by hand');
      this.#rejection = this.#rejected();
      this.#transition('isolated', 'isolated by hand', 0, false);
    }
    return toDisposer(() => {
      if (--this.#isolations === 0) this.#close('isolation released', false);
    });
  }

  /**
   * Applies a state change another instance published. An open is adopted (or extended to the
   * later `openUntil`); a close ends a local open too, since another instance's probe proved the
   * dependency healthy. Isolation is local and wins over both.
   */
  applyRemote(to: 'open' | 'closed', openUntil: number, from: string): void {
    if (this.#state === 'isolated') return;
    if (to === 'closed') {
      if (this.#state !== 'closed') this.#close(`closed by ${from}`, true);
    } else if (this.#state !== 'open' || openUntil > this.#openUntil) {
      if (openUntil > this.#clock.now()) this.#open(`opened by ${from}`, openUntil, true);
    }
  }

  /** Hears every state change (shared state relays the local ones). */
  onTransition(listener: (transition: BreakerTransition) => void): Disposer {
    this.#listeners = [...this.#listeners, listener];
    return toDisposer(() => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    });
  }

  /** Cancels the half-open timer and drops listeners; the breaker keeps its state. */
  dispose(): void {
    this.#cancelTimer();
    this.#listeners = [];
  }

  #openAfterFailures(reason: string): void {
    this.#open(reason, this.#clock.now() + this.config.halfOpenAfterMs, false);
  }

  #open(reason: string, openUntil: number, remote: boolean): void {
    this.#openUntil = openUntil;
    this.#error = new BreakerOpenError(this.name, openUntil, reason);
    this.#rejection = this.#rejected();
    this.#cancelTimer();
    // Unref'd: a breaker waiting to half-open must not keep an otherwise finished process alive.
    this.#timer = this.#clock
      .setTimeout(() => this.#halfOpen(), Math.max(0, openUntil - this.#clock.now()))
      .unref();
    this.#transition('open', reason, openUntil, remote);
  }

  #halfOpen(): void {
    this.#timer = undefined;
    this.#probesInFlight = 0;
    this.#probeSuccesses = 0;
    this.#transition(
      'half-open',
      `${this.config.halfOpenAfterMs} ms passed; letting probes through`,
      0,
      false,
    );
  }

  #close(reason: string, remote: boolean): void {
    this.#cancelTimer();
    this.#consecutive = 0;
    this.#window?.clear();
    this.#transition('closed', reason, 0, remote);
  }

  #transition(to: BreakerState, reason: string, openUntil: number, remote: boolean): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.blocked = to === 'open' || to === 'isolated';
    const bus = this.#bus;
    if (bus !== undefined && bus.listenerCount('resilience.breaker') > 0) {
      bus.emit('resilience.breaker', { policy: this.name, from, to, reason });
    }
    for (const listener of this.#listeners) {
      try {
        listener({ name: this.name, from, to, reason, openUntil, remote });
      } catch {
        // A relay (shared state) failing must not leave the breaker half-changed.
      }
    }
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #rejected(): Promise<never> {
    const rejection = Promise.reject(this.#error);
    // Marked handled: it is created before anyone awaits it.
    rejection.catch(noop);
    return rejection;
  }
}
