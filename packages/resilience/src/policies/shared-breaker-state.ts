import { randomUUID } from 'node:crypto';
import { type Clock, type Disposer, systemClock, toDisposer } from '@trellis/core';
import type { Redis } from 'ioredis';
import type { BreakerTransition, CircuitBreaker } from './circuit-breaker.js';
import type { SharedBreakerState } from './compose.js';

/** What an instance publishes when one of its breakers opens or closes. */
export interface BreakerAnnouncement {
  readonly instanceId: string;
  /** The breaker's (policy's) name: breakers of the same name on other instances follow it. */
  readonly name: string;
  readonly state: 'open' | 'closed';
  /** Epoch ms when the open breaker lets a probe through; 0 when closed. */
  readonly openUntil: number;
}

/** Options of {@link RedisBreakerState.start}. */
export interface RedisBreakerStateOptions {
  /** A connection for commands and PUBLISH. */
  readonly publisher: Redis;
  /** A dedicated connection for SUBSCRIBE (a subscribed connection cannot run commands). */
  readonly subscriber: Redis;
  /** Prefix of the channel and keys; default `trellis:breaker`. One per environment. */
  readonly prefix?: string;
  /** Default a random UUID; messages from this id are ignored. */
  readonly instanceId?: string;
  /** Compares `openUntil` with now; default `systemClock`. Instances need roughly synced clocks. */
  readonly clock?: Clock;
  /** Hears Redis failures; sharing is best effort, so they never reach callers. Default: a warning. */
  readonly onError?: (error: unknown) => void;
}

function isAnnouncement(value: unknown): value is BreakerAnnouncement {
  const v = value as Partial<BreakerAnnouncement> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.instanceId === 'string' &&
    typeof v.name === 'string' &&
    (v.state === 'open' || v.state === 'closed') &&
    typeof v.openUntil === 'number'
  );
}

/**
 * Shares breaker state between the instances of a fleet through Redis, so that once one
 * instance finds a dependency dead the others stop calling it too, instead of each paying for
 * `threshold` failures of its own. An opening is published with its `openUntil` and stored under
 * a key that expires then (an instance that starts later adopts it); a close (a probe succeeded)
 * is published and the key deleted. Transitions caused by a message are not published again,
 * so announcements never loop. Redis failures only lose sharing: each breaker still works alone.
 */
export class RedisBreakerState implements SharedBreakerState {
  readonly instanceId: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #breakers = new Map<string, Set<CircuitBreaker>>();
  readonly #onMessage = (channel: string, text: string) => this.#receive(channel, text);

  private constructor(options: RedisBreakerStateOptions) {
    this.#publisher = options.publisher;
    this.#subscriber = options.subscriber;
    this.#prefix = options.prefix ?? 'trellis:breaker';
    this.#channel = `${this.#prefix}:events`;
    this.instanceId = options.instanceId ?? randomUUID();
    this.#clock = options.clock ?? systemClock;
    this.#onError =
      options.onError ?? ((error) => process.emitWarning(`Shared breaker state: ${String(error)}`));
  }

  /** Subscribes to the fleet's announcements; resolves once subscribed. */
  static async start(options: RedisBreakerStateOptions): Promise<RedisBreakerState> {
    const state = new RedisBreakerState(options);
    state.#subscriber.on('message', state.#onMessage);
    await state.#subscriber.subscribe(state.#channel);
    return state;
  }

  /**
   * Relays `breaker`'s openings and closings, applies the fleet's, and adopts an opening stored
   * before it was attached. Detaching stops both directions.
   */
  attach(breaker: CircuitBreaker): Disposer {
    let group = this.#breakers.get(breaker.name);
    if (group === undefined) {
      group = new Set();
      this.#breakers.set(breaker.name, group);
    }
    group.add(breaker);
    const relay = breaker.onTransition((transition) => this.#publish(transition));
    this.#adoptStored(breaker);
    return toDisposer(() => {
      relay.dispose();
      group.delete(breaker);
      if (group.size === 0) this.#breakers.delete(breaker.name);
    });
  }

  /** Stops listening; the connections stay open (they are the caller's to quit). */
  async stop(): Promise<void> {
    this.#subscriber.off('message', this.#onMessage);
    this.#breakers.clear();
    await this.#subscriber.unsubscribe(this.#channel).catch(this.#onError);
  }

  /** The key an open breaker's state is stored under. */
  keyOf(name: string): string {
    return `${this.#prefix}:state:${name}`;
  }

  #publish(transition: BreakerTransition): void {
    if (transition.remote || (transition.to !== 'open' && transition.to !== 'closed')) return;
    const announcement: BreakerAnnouncement = {
      instanceId: this.instanceId,
      name: transition.name,
      state: transition.to,
      openUntil: transition.openUntil,
    };
    const text = JSON.stringify(announcement);
    const key = this.keyOf(transition.name);
    const transaction = this.#publisher.multi();
    if (transition.to === 'open') {
      transaction.set(key, text, 'PX', Math.max(1, Math.ceil(transition.openUntil - this.#clock.now())));
    } else {
      transaction.del(key);
    }
    transaction.publish(this.#channel, text);
    transaction.exec().catch(this.#onError);
  }

  #adoptStored(breaker: CircuitBreaker): void {
    this.#publisher
      .get(this.keyOf(breaker.name))
      .then((text) => {
        if (text === null) return;
        const stored: unknown = JSON.parse(text);
        if (
          isAnnouncement(stored) &&
          stored.state === 'open' &&
          this.#breakers.get(breaker.name)?.has(breaker)
        ) {
          breaker.applyRemote('open', stored.openUntil, `instance ${stored.instanceId}`);
        }
      })
      .catch(this.#onError);
  }

  #receive(channel: string, text: string): void {
    if (channel !== this.#channel) return;
    let announcement: unknown;
    try {
      announcement = JSON.parse(text);
    } catch (error) {
      this.#onError(error);
      return;
    }
    if (!isAnnouncement(announcement) || announcement.instanceId === this.instanceId) return;
    for (const breaker of this.#breakers.get(announcement.name) ?? []) {
      breaker.applyRemote(announcement.state, announcement.openUntil, `instance ${announcement.instanceId}`);
    }
  }
}
