import type { Disposer, EventBus, EventListener, ListenerFailure, TrellisEvents } from '@trellis/core';
import type { PendingWork } from './pending-work.js';
import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

type AnyListener = EventListener<unknown>;

/**
 * The host event bus seen from a plugin's worker or process. `on` subscribes on the host, which
 * forwards each payload here (payloads cross by structured cloning); the disposer unsubscribes.
 * A plugin hears its own `emit` only after the round trip through the host. `listenerCount`
 * counts this plugin's listeners only, and `onListenerError` hears failures of this plugin's
 * listeners (the host bus reports them too).
 */
export function createRemoteEvents(channel: RpcChannel, pending: PendingWork): EventBus<TrellisEvents> {
  const counts = new Map<string, number>();
  let errorListeners: readonly ((failure: ListenerFailure) => void)[] = [];
  const count = (event: string, delta: number) => counts.set(event, (counts.get(event) ?? 0) + delta);

  const subscribe = (event: string, listener: AnyListener, once: boolean): Disposer => {
    let active = true;
    const end = () => {
      if (!active) return false;
      active = false;
      count(event, -1);
      channel.callbacks.release(id);
      return true;
    };
    const id = channel.callbacks.register(async (payload: unknown) => {
      if (once) end();
      try {
        return await listener(payload);
      } catch (error) {
        for (const hear of errorListeners) hear({ event, error });
        throw error;
      }
    });
    count(event, 1);
    const subscribed = channel.call(HOST_METHODS.subscribe, [event, { $fn: id }, once]);
    pending.track(subscribed);
    return {
      dispose() {
        if (!end()) return;
        subscribed.then(
          (subscription) => channel.notify(HOST_METHODS.unsubscribe, [subscription]),
          () => {},
        );
      },
    };
  };

  return {
    on: (event, listener) => subscribe(event, listener as AnyListener, false),
    once: (event, listener) => subscribe(event, listener as AnyListener, true),
    emit: (event, payload) => channel.notify(HOST_METHODS.emit, [event, payload]),
    emitAsync: async (event, payload) => {
      await channel.call(HOST_METHODS.emitAsync, [event, payload], { functions: 'drop' }).catch(() => {});
    },
    onListenerError(listener) {
      errorListeners = [...errorListeners, listener];
      let active = true;
      return {
        dispose() {
          if (!active) return;
          active = false;
          errorListeners = errorListeners.filter((l) => l !== listener);
        },
      };
    },
    listenerCount: (event) => counts.get(event) ?? 0,
  };
}
