import type { ChildFailure } from './supervisor-types.js';

/**
 * What a recovery attempt achieved: `recovered` (serving again), `failed` (the next attempt
 * follows, after a backoff), `disabled` (taken out on purpose; no more attempts) or `skipped`
 * (the strategy does not apply, e.g. no previous version to roll back to: the chain moves on at once).
 */
export type RecoveryOutcome =
  | { readonly status: 'recovered' }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'disabled' }
  | { readonly status: 'skipped'; readonly reason: string };

/** What a strategy may do to the failed child, bound by the supervisor that runs it. */
export interface RecoveryContext {
  readonly supervisor: string;
  /** 1-based restart attempt since the last reset. */
  readonly attempt: number;
  /** Children restarted along with it (`rest_for_one`), in start order. */
  readonly with: readonly string[];
  /** Aborted when the supervisor stops: long strategies should give up. */
  readonly signal: AbortSignal;
  /** Restarts the child (and `with`) as the supervisor's restart strategy says; rejects on failure. */
  restart(): Promise<void>;
  /** Stops the child for good; the supervisor no longer restarts it. */
  disable(): Promise<void>;
}

/** The child as strategies see it: at least its name. */
export interface RecoveryChild {
  readonly name: string;
}

/**
 * A pluggable way to bring a failed child back. `label` names it in events (default `custom`);
 * `restarts: false` marks a strategy that restarts nothing (`disable`), so it is neither delayed by
 * the backoff nor counted by the restart intensity.
 */
export interface RecoveryStrategy<C extends RecoveryChild = RecoveryChild> {
  (child: C, failure: ChildFailure, context: RecoveryContext): Promise<RecoveryOutcome>;
  readonly label?: string;
  readonly restarts?: boolean;
}

/** One link of a recovery chain: `strategy`, used `times` times (default 1) before the next link. */
export interface RecoveryStep<C extends RecoveryChild = RecoveryChild> {
  readonly strategy: RecoveryStrategy<C>;
  /** Attempts with this strategy before moving on; `Infinity` for "until the intensity runs out". */
  readonly times?: number;
}

function strategy<C extends RecoveryChild>(
  label: string,
  restarts: boolean,
  run: (child: C, failure: ChildFailure, context: RecoveryContext) => Promise<RecoveryOutcome>,
): RecoveryStrategy<C> {
  // A failing step is an outcome, not an exception: the chain decides what comes next.
  const wrapped = async (child: C, failure: ChildFailure, context: RecoveryContext) => {
    try {
      return await run(child, failure, context);
    } catch (error) {
      return { status: 'failed', error } as const;
    }
  };
  return Object.assign(wrapped, { label, restarts });
}

/** Restarts the child (with its dependents under `rest_for_one`): the default strategy. */
export function restartStrategy<C extends RecoveryChild = RecoveryChild>(): RecoveryStrategy<C> {
  return strategy<C>('restart', true, async (_child, _failure, context) => {
    await context.restart();
    return { status: 'recovered' };
  });
}

/** Stops the child and leaves it down: the last link of a chain such as "restart ×3, then disable". */
export function disableStrategy<C extends RecoveryChild = RecoveryChild>(): RecoveryStrategy<C> {
  return strategy<C>('disable', false, async (_child, _failure, context) => {
    await context.disable();
    return { status: 'disabled' };
  });
}

/** Reloads a child's configuration; provided by the caller (the config package). */
export type ReloadConfigFn = (child: string, failure: ChildFailure) => Promise<void>;

/**
 * Adapter: calls `reload` (e.g. the config store re-reading its sources, in case bad config caused
 * the crash), then restarts the child unless `restartAfter` is false.
 */
export function reloadConfigStrategy<C extends RecoveryChild = RecoveryChild>(
  reload: ReloadConfigFn,
  options: { readonly restartAfter?: boolean } = {},
): RecoveryStrategy<C> {
  const restartAfter = options.restartAfter ?? true;
  return strategy<C>('reload-config', true, async (child, failure, context) => {
    await reload(child.name, failure);
    if (restartAfter) await context.restart();
    return { status: 'recovered' };
  });
}

/**
 * Rolls a child back to its previous version; provided by the caller (the plugin lifecycle).
 * Resolves `false` when there is no previous version, so the chain skips to its next link.
 */
export type RollbackFn = (child: string, failure: ChildFailure) => Promise<boolean | undefined>;

/** Adapter: calls `rollback`, then restarts the child (on the old version) unless `restartAfter` is false. */
export function rollbackStrategy<C extends RecoveryChild = RecoveryChild>(
  rollback: RollbackFn,
  options: { readonly restartAfter?: boolean } = {},
): RecoveryStrategy<C> {
  const restartAfter = options.restartAfter ?? true;
  return strategy<C>('rollback', true, async (child, failure, context) => {
    const rolledBack = await rollback(child.name, failure);
    if (rolledBack === false) return { status: 'skipped', reason: 'no previous version' };
    if (restartAfter) await context.restart();
    return { status: 'recovered' };
  });
}

/** The chain used when none is given: restart until the intensity runs out. */
export function defaultRecovery<C extends RecoveryChild = RecoveryChild>(): readonly RecoveryStep<C>[] {
  return [{ strategy: restartStrategy<C>(), times: Number.POSITIVE_INFINITY }];
}
