import { describe, expect, it, jest } from '@jest/globals';
import {
  defaultRecovery,
  disableStrategy,
  type RecoveryContext,
  reloadConfigStrategy,
  restartStrategy,
  rollbackStrategy,
} from './recovery.js';
import type { ChildFailure } from './supervisor-types.js';

const failure: ChildFailure = { reason: 'boom', source: 'reported', at: 0 };
const child = { name: 'db' };

function context(overrides: Partial<RecoveryContext> = {}) {
  const restart = jest.fn(async () => undefined);
  const disable = jest.fn(async () => undefined);
  const ctx: RecoveryContext = {
    supervisor: 's',
    attempt: 1,
    with: [],
    signal: new AbortController().signal,
    restart,
    disable,
    ...overrides,
  };
  return { ctx, restart, disable };
}

describe('recovery strategies', () => {
  it('restart restarts and reports recovered; a failing restart is a failed outcome, not a throw', async () => {
    const { ctx, restart } = context();
    const strategy = restartStrategy();
    expect(strategy.label).toBe('restart');
    expect(strategy.restarts).toBe(true);
    await expect(strategy(child, failure, ctx)).resolves.toEqual({ status: 'recovered' });
    expect(restart).toHaveBeenCalledTimes(1);
    const error = new Error('still broken');
    const failing = context({ restart: async () => Promise.reject(error) });
    await expect(strategy(child, failure, failing.ctx)).resolves.toEqual({ status: 'failed', error });
  });

  it('disable stops the child and restarts nothing', async () => {
    const { ctx, disable, restart } = context();
    const strategy = disableStrategy();
    expect(strategy.restarts).toBe(false);
    await expect(strategy(child, failure, ctx)).resolves.toEqual({ status: 'disabled' });
    expect(disable).toHaveBeenCalledTimes(1);
    expect(restart).not.toHaveBeenCalled();
  });

  it('reloadConfig calls the provided reload with the child and failure, then restarts', async () => {
    const order: string[] = [];
    const reload = jest.fn(async (_child: string, _failure: ChildFailure) => void order.push('reload'));
    const { ctx } = context({ restart: async () => void order.push('restart') });
    await expect(reloadConfigStrategy(reload)(child, failure, ctx)).resolves.toEqual({ status: 'recovered' });
    expect(reload).toHaveBeenCalledWith('db', failure);
    expect(order).toEqual(['reload', 'restart']);
  });

  it('reloadConfig with restartAfter false only reloads', async () => {
    const { ctx, restart } = context();
    await reloadConfigStrategy(async () => undefined, { restartAfter: false })(child, failure, ctx);
    expect(restart).not.toHaveBeenCalled();
  });

  it('rollback restarts on the previous version, or is skipped when there is none', async () => {
    const { ctx, restart } = context();
    const rollback = jest.fn(async (): Promise<boolean | undefined> => true);
    await expect(rollbackStrategy(rollback)(child, failure, ctx)).resolves.toEqual({ status: 'recovered' });
    expect(restart).toHaveBeenCalledTimes(1);
    rollback.mockResolvedValueOnce(false);
    await expect(rollbackStrategy(rollback)(child, failure, ctx)).resolves.toEqual({
      status: 'skipped',
      reason: 'no previous version',
    });
    await rollbackStrategy(async () => undefined, { restartAfter: false })(child, failure, ctx);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('the default chain restarts without limit (the intensity decides)', () => {
    const [step, ...rest] = defaultRecovery();
    expect(rest).toEqual([]);
    expect(step?.times).toBe(Number.POSITIVE_INFINITY);
    expect(step?.strategy.label).toBe('restart');
  });
});
