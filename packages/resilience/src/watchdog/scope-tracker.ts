import { type AsyncHook, createHook } from 'node:async_hooks';
import { currentPluginScope, type Disposer, observePluginScope } from '@trellis/core';
import type { WatchdogSharedState } from './shared-state.js';

// An `after` without its `before` (uncaught exceptions skip `after`) would grow the stack forever.
const MAX_DEPTH = 1_024;

/**
 * Keeps the shared "running now" slot naming the plugin whose code runs on the main thread: at
 * every async callback entry (async hooks `before`/`after`) and every synchronous entry into a
 * plugin scope. Plugin names become small integers (0 = host) because the watchdog thread can
 * only read numbers from shared memory; each new name is sent to it through `onName`.
 */
export class PluginScopeTracker {
  readonly #state: WatchdogSharedState;
  readonly #onName: (id: number, name: string) => void;
  readonly #ids = new Map<string, number>();
  readonly #stack: number[] = [];
  #hook: AsyncHook | undefined;
  #entries: Disposer | undefined;

  constructor(state: WatchdogSharedState, onName: (id: number, name: string) => void) {
    this.#state = state;
    this.#onName = onName;
  }

  /** Starts tracking; until {@link disable}, every callback pays a store lookup and an atomic write. */
  enable(): void {
    if (this.#hook) return;
    // Hook callbacks must not throw (an exception there ends the process): keep them to lookups.
    this.#hook = createHook({
      before: () => {
        if (this.#stack.length >= MAX_DEPTH) this.#stack.length = 0;
        this.#stack.push(this.#state.running());
        this.mark();
      },
      after: () => {
        this.#state.setRunning(this.#stack.pop() ?? 0);
      },
    }).enable();
    this.#entries = observePluginScope({
      enter: () => {
        const previous = this.#state.running();
        this.mark();
        return previous;
      },
      exit: (previous) => this.#state.setRunning(previous),
    });
  }

  /** Stops tracking and marks the host as running. */
  disable(): void {
    this.#hook?.disable();
    this.#hook = undefined;
    this.#entries?.dispose();
    this.#entries = undefined;
    this.#stack.length = 0;
    this.#state.setRunning(0);
  }

  /** Writes the id of the current plugin scope (0 for host code) to the shared slot. */
  mark(): void {
    this.#state.setRunning(this.idOf(currentPluginScope()));
  }

  /** The id of `name` (0 for `undefined`), assigning and announcing a new one on first sight. */
  idOf(name: string | undefined): number {
    if (name === undefined) return 0;
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#ids.size + 1;
      this.#ids.set(name, id);
      this.#onName(id, name);
    }
    return id;
  }
}
