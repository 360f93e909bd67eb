import { type Clock, describeError, systemClock, TrellisError } from '@trellis/core';
import { IllegalTransitionError, PluginNotFoundError } from '../errors.js';
import { canTransition, PLUGIN_STATES, PLUGIN_TRANSITIONS, type PluginState } from './plugin-state.js';

/** How many transitions {@link PluginStateMachine.history} keeps per plugin. */
export const PLUGIN_HISTORY_LIMIT = 20;

/** One recorded state change of one plugin. */
export interface PluginTransition {
  readonly plugin: string;
  /** The plugin's version when it changed state. */
  readonly version: string;
  readonly from: PluginState;
  readonly to: PluginState;
  /** When it happened, epoch ms from the machine's clock. */
  readonly at: number;
  /** How long the plugin had been in `from`. */
  readonly durationMs: number;
  /** Why, in words ("dependency db failed", "upgrade to 2.0.0"). */
  readonly reason?: string;
  /** The error behind the change; `code` is `ERROR` for errors that are not a `TrellisError`. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Optional facts recorded with a transition. */
export interface TransitionInfo {
  readonly reason?: string;
  readonly error?: unknown;
}

/** A plugin's current standing, as listed by {@link PluginStateMachine.entries}. */
export interface PluginStateEntry {
  readonly name: string;
  readonly version: string;
  readonly state: PluginState;
  /** Epoch ms when it entered `state`. */
  readonly since: number;
}

/** Options of {@link PluginStateMachine}. */
export interface PluginStateMachineOptions {
  /** Timestamps transitions; defaults to the system clock. */
  readonly clock?: Clock;
  /** Called synchronously after every transition; a throwing listener is ignored. */
  readonly onTransition?: (transition: PluginTransition) => void;
}

interface Slot {
  version: string;
  state: PluginState;
  since: number;
  // A ring buffer: once full, `next` is the oldest record and the next one to overwrite.
  readonly history: PluginTransition[];
  next: number;
}

/**
 * The state of every plugin the host knows, and the only place that changes it.
 *
 * Every change is checked against {@link PLUGIN_TRANSITIONS}, so a bug in the manager surfaces as
 * an {@link IllegalTransitionError} instead of a plugin in a state it cannot be in. Each
 * transition costs O(1): the machine sees one per plugin per step, 5,000 plugins at boot.
 */
export class PluginStateMachine {
  readonly #slots = new Map<string, Slot>();
  readonly #counts: Record<PluginState, number> = emptyCounts();
  readonly #clock: Clock;
  readonly #onTransition: ((transition: PluginTransition) => void) | undefined;

  constructor(options: PluginStateMachineOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#onTransition = options.onTransition;
  }

  /**
   * Starts tracking `plugin` in `initial` (default `discovered`); no transition is recorded.
   * A name already tracked may only be added again once it is `uninstalled` (a reinstall, with a
   * fresh history); otherwise this throws {@link IllegalTransitionError}.
   */
  add(plugin: string, version: string, initial: PluginState = 'discovered'): void {
    const existing = this.#slots.get(plugin);
    if (existing) {
      if (existing.state !== 'uninstalled') {
        throw new IllegalTransitionError(
          plugin,
          existing.state,
          'discovered',
          PLUGIN_TRANSITIONS[existing.state],
        );
      }
      this.#counts[existing.state] -= 1;
    }
    this.#slots.set(plugin, { version, state: initial, since: this.#clock.now(), history: [], next: 0 });
    this.#counts[initial] += 1;
  }

  /** True when `plugin` is tracked (in any state, `uninstalled` included). */
  has(plugin: string): boolean {
    return this.#slots.has(plugin);
  }

  /** The current state of `plugin`; throws `PLUGIN_NOT_FOUND` for an unknown name. */
  state(plugin: string): PluginState {
    return this.#slot(plugin).state;
  }

  /** The current version of `plugin`; throws `PLUGIN_NOT_FOUND` for an unknown name. */
  version(plugin: string): string {
    return this.#slot(plugin).version;
  }

  /** Records a new version (after an upgrade); later transitions carry it. */
  setVersion(plugin: string, version: string): void {
    this.#slot(plugin).version = version;
  }

  /**
   * Moves `plugin` to `to`, records the change and tells the `onTransition` listener.
   *
   * @throws IllegalTransitionError when {@link canTransition} forbids it; `details.allowed` lists
   *   the states that are reachable.
   * @throws PluginNotFoundError for an unknown name.
   */
  transition(plugin: string, to: PluginState, info: TransitionInfo = {}): PluginTransition {
    const slot = this.#slot(plugin);
    const from = slot.state;
    if (!canTransition(from, to)) {
      throw new IllegalTransitionError(plugin, from, to, PLUGIN_TRANSITIONS[from]);
    }
    const at = this.#clock.now();
    const record: PluginTransition = {
      plugin,
      version: slot.version,
      from,
      to,
      at,
      durationMs: at - slot.since,
      ...(info.reason === undefined ? {} : { reason: info.reason }),
      ...(info.error === undefined ? {} : { error: summarizeError(info.error) }),
    };
    slot.state = to;
    slot.since = at;
    this.#counts[from] -= 1;
    this.#counts[to] += 1;
    if (slot.history.length < PLUGIN_HISTORY_LIMIT) {
      slot.history.push(record);
    } else {
      slot.history[slot.next] = record;
      slot.next = (slot.next + 1) % PLUGIN_HISTORY_LIMIT;
    }
    try {
      this.#onTransition?.(record);
    } catch {
      // The state has already changed and is recorded; a failing observer (a log line, a metric)
      // must not make the caller believe the transition did not happen, nor stop it halfway.
    }
    return record;
  }

  /** The last {@link PLUGIN_HISTORY_LIMIT} transitions of `plugin`, oldest first. */
  history(plugin: string): readonly PluginTransition[] {
    const { history, next } = this.#slot(plugin);
    return next === 0 ? history.slice() : [...history.slice(next), ...history.slice(0, next)];
  }

  /** Every tracked plugin with its state, in the order they were added. */
  entries(): PluginStateEntry[] {
    const entries: PluginStateEntry[] = [];
    for (const [name, slot] of this.#slots) {
      entries.push({ name, version: slot.version, state: slot.state, since: slot.since });
    }
    return entries;
  }

  /** How many plugins are in each state; every state is present, zero included. */
  counts(): Record<PluginState, number> {
    return { ...this.#counts };
  }

  /**
   * Forgets `plugin`. Only an `uninstalled` plugin may be forgotten, so that a live plugin is
   * never lost track of; otherwise this throws {@link IllegalTransitionError} (to `removed`).
   */
  remove(plugin: string): void {
    const slot = this.#slot(plugin);
    if (slot.state !== 'uninstalled') {
      throw new IllegalTransitionError(plugin, slot.state, 'removed', PLUGIN_TRANSITIONS[slot.state]);
    }
    this.#counts.uninstalled -= 1;
    this.#slots.delete(plugin);
  }

  #slot(plugin: string): Slot {
    const slot = this.#slots.get(plugin);
    if (!slot) throw new PluginNotFoundError(plugin, [...this.#slots.keys()]);
    return slot;
  }
}

function emptyCounts(): Record<PluginState, number> {
  const counts = {} as Record<PluginState, number>;
  for (const state of PLUGIN_STATES) counts[state] = 0;
  return counts;
}

function summarizeError(error: unknown): { code: string; message: string } {
  return { code: TrellisError.is(error) ? error.code : 'ERROR', message: describeError(error) };
}
