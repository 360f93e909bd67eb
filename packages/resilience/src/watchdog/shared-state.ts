import type { WatchdogSlots } from './watchdog-protocol.js';

const SLOTS: WatchdogSlots = { beat: 0, plugin: 1 };

/**
 * The memory the main thread and the watchdog thread share: a heartbeat counter, the time of the
 * last beat, and the id of the plugin whose code runs. Shared memory, not messages, because the
 * watchdog must read it while the main thread is blocked and cannot send anything.
 */
export class WatchdogSharedState {
  /** Int32 slots, indexed by {@link WatchdogSharedState.slots}. */
  readonly ints = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** Epoch ms of the last heartbeat (BigInt64: Atomics has no Float64). */
  readonly beatAt = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT));
  /** Where each value lives in {@link WatchdogSharedState.ints}. */
  readonly slots = SLOTS;

  /** Records that the main loop turned, now. */
  beat(now = Date.now()): void {
    Atomics.store(this.beatAt, 0, BigInt(now));
    Atomics.add(this.ints, SLOTS.beat, 1);
  }

  /** How many heartbeats so far. */
  beats(): number {
    return Atomics.load(this.ints, SLOTS.beat);
  }

  /** Sets the id of the code running now (0 = host). */
  setRunning(id: number): void {
    Atomics.store(this.ints, SLOTS.plugin, id);
  }

  /** The id of the code running now (0 = host). */
  running(): number {
    return Atomics.load(this.ints, SLOTS.plugin);
  }
}
