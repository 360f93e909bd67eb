import type { EventBus, TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';

/** The supervisor events, by name. */
export type SupervisorEventName = 'supervisor.restart' | 'supervisor.recovered' | 'supervisor.gave-up';

/** Emits supervisor events on an optional bus. */
export type SupervisorEmitter = <K extends SupervisorEventName>(event: K, payload: TrellisEvents[K]) => void;

/**
 * An emitter that publishes only when someone listens: building payloads costs nothing then, and
 * a supervisor without a bus still works.
 */
export function supervisorEmitter(bus: EventBus<TrellisEvents> | undefined): SupervisorEmitter {
  return (event, payload) => {
    if (bus && bus.listenerCount(event) > 0) bus.emit(event, payload);
  };
}
