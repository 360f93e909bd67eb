import { describe, expect, it } from '@jest/globals';
import { ManualClock, TrellisError } from '@trellis/core';
import { IllegalTransitionError, PluginHookTimeoutError, PluginNotFoundError } from '../errors.js';
import { PLUGIN_HISTORY_LIMIT, PluginStateMachine, type PluginTransition } from './plugin-state-machine.js';

function setup(startAt = 1_000) {
  const clock = new ManualClock(startAt);
  const seen: PluginTransition[] = [];
  const machine = new PluginStateMachine({ clock, onTransition: (t) => seen.push(t) });
  return { clock, seen, machine };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('PluginStateMachine', () => {
  it('adds plugins as discovered by default, or in the given state', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0');
    machine.add('b', '2.0.0', 'resolved');
    expect(machine.state('a')).toBe('discovered');
    expect(machine.state('b')).toBe('resolved');
    expect(machine.version('b')).toBe('2.0.0');
    expect(machine.has('a')).toBe(true);
    expect(machine.has('c')).toBe(false);
  });

  it('records transitions with clock times and the time spent in the previous state', () => {
    const { clock, seen, machine } = setup(1_000);
    machine.add('a', '1.0.0');
    clock.advance(30);
    const first = machine.transition('a', 'resolved');
    clock.advance(12);
    const second = machine.transition('a', 'starting', { reason: 'boot' });

    expect(first).toEqual({
      plugin: 'a',
      version: '1.0.0',
      from: 'discovered',
      to: 'resolved',
      at: 1_030,
      durationMs: 30,
    });
    expect(second).toEqual({
      plugin: 'a',
      version: '1.0.0',
      from: 'resolved',
      to: 'starting',
      at: 1_042,
      durationMs: 12,
      reason: 'boot',
    });
    expect(seen).toEqual([first, second]);
    expect(machine.history('a')).toEqual([first, second]);
    expect(machine.state('a')).toBe('starting');
  });

  it('summarises a TrellisError by its code and any other error as ERROR', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0', 'starting');
    machine.add('b', '1.0.0', 'starting');
    const trellis = machine.transition('a', 'failed', {
      error: new PluginHookTimeoutError('a', 'start', 50),
    });
    const plain = machine.transition('b', 'failed', { error: new Error('boom') });
    expect(trellis.error?.code).toBe('PLUGIN_HOOK_TIMEOUT');
    expect(trellis.error?.message).toContain('did not finish start within 50 ms');
    expect(plain.error).toEqual({ code: 'ERROR', message: 'boom' });
    expect('error' in machine.transition('a', 'stopped')).toBe(false);
  });

  it('carries the version set by setVersion on later transitions', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0', 'stopped');
    machine.setVersion('a', '2.0.0');
    expect(machine.version('a')).toBe('2.0.0');
    expect(machine.transition('a', 'resolved').version).toBe('2.0.0');
  });

  it('rejects an illegal transition, listing the allowed targets, and leaves the state alone', () => {
    const { seen, machine } = setup();
    machine.add('a', '1.0.0', 'stopped');
    const error = thrown(() => machine.transition('a', 'active'));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(TrellisError.is(error, 'PLUGIN_ILLEGAL_TRANSITION')).toBe(true);
    expect((error as TrellisError).message).toContain('Plugin "a" cannot go from "stopped" to "active".');
    expect((error as TrellisError).message).toContain('starting, resolved, uninstalled');
    expect((error as TrellisError).details).toMatchObject({
      from: 'stopped',
      to: 'active',
      allowed: ['starting', 'resolved', 'uninstalled'],
    });
    expect(machine.state('a')).toBe('stopped');
    expect(machine.history('a')).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('keeps working when the listener throws', () => {
    const clock = new ManualClock();
    let calls = 0;
    const machine = new PluginStateMachine({
      clock,
      onTransition: () => {
        calls += 1;
        throw new Error('listener broke');
      },
    });
    machine.add('a', '1.0.0');
    expect(machine.transition('a', 'resolved').to).toBe('resolved');
    expect(() => machine.transition('a', 'starting')).not.toThrow();
    expect(machine.state('a')).toBe('starting');
    expect(machine.history('a')).toHaveLength(2);
    expect(calls).toBe(2);
  });

  it('works without options, on the system clock', () => {
    const machine = new PluginStateMachine();
    const before = Date.now();
    machine.add('a', '1.0.0');
    const t = machine.transition('a', 'resolved');
    expect(t.at).toBeGreaterThanOrEqual(before);
    expect(t.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps only the last PLUGIN_HISTORY_LIMIT transitions, oldest first', () => {
    const { clock, machine } = setup(0);
    machine.add('a', '1.0.0', 'stopped');
    // A legal cycle, so the loop can run as long as it likes.
    const next = { stopped: 'resolved', resolved: 'failed', failed: 'stopped' } as const;
    const total = PLUGIN_HISTORY_LIMIT * 2 + 7;
    for (let i = 0; i < total; i++) {
      clock.advance(1);
      machine.transition('a', next[machine.state('a') as keyof typeof next], { reason: String(i) });
    }
    const history = machine.history('a');
    expect(history).toHaveLength(PLUGIN_HISTORY_LIMIT);
    expect(history.map((t) => Number(t.reason))).toEqual(
      Array.from({ length: PLUGIN_HISTORY_LIMIT }, (_, i) => total - PLUGIN_HISTORY_LIMIT + i),
    );
    expect(history.at(-1)?.at).toBe(total);
  });

  it('returns a copy of the history, not its ring buffer', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0');
    machine.transition('a', 'resolved');
    (machine.history('a') as PluginTransition[]).length = 0;
    expect(machine.history('a')).toHaveLength(1);
  });

  it('counts plugins per state, every state included', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0');
    machine.add('b', '1.0.0');
    machine.add('c', '1.0.0', 'starting');
    machine.transition('a', 'resolved');
    machine.transition('c', 'active');
    expect(machine.counts()).toEqual({
      discovered: 1,
      resolved: 1,
      starting: 0,
      active: 1,
      stopping: 0,
      stopped: 0,
      failed: 0,
      uninstalled: 0,
    });
  });

  it('lists entries with their state and the time they entered it', () => {
    const { clock, machine } = setup(100);
    machine.add('a', '1.0.0');
    machine.add('b', '3.1.0', 'resolved');
    clock.advance(5);
    machine.transition('a', 'resolved');
    expect(machine.entries()).toEqual([
      { name: 'a', version: '1.0.0', state: 'resolved', since: 105 },
      { name: 'b', version: '3.1.0', state: 'resolved', since: 100 },
    ]);
  });

  it('raises PLUGIN_NOT_FOUND for an unknown plugin, naming the known ones', () => {
    const { machine } = setup();
    machine.add('known', '1.0.0');
    for (const call of [
      () => machine.state('nope'),
      () => machine.version('nope'),
      () => machine.setVersion('nope', '1'),
      () => machine.transition('nope', 'resolved'),
      () => machine.history('nope'),
      () => machine.remove('nope'),
    ]) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(PluginNotFoundError);
      expect((error as TrellisError).code).toBe('PLUGIN_NOT_FOUND');
      expect((error as TrellisError).message).toContain('Known plugins: known.');
    }
  });

  it('refuses to re-add a plugin that is not uninstalled', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0', 'active');
    const error = thrown(() => machine.add('a', '2.0.0'));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as TrellisError).details).toMatchObject({
      from: 'active',
      to: 'discovered',
      allowed: ['stopping', 'failed'],
    });
    expect(machine.version('a')).toBe('1.0.0');
    expect(machine.counts().active).toBe(1);
  });

  it('re-adds an uninstalled plugin with a fresh history and correct counts', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0');
    machine.transition('a', 'uninstalled');
    machine.add('a', '2.0.0');
    expect(machine.state('a')).toBe('discovered');
    expect(machine.version('a')).toBe('2.0.0');
    expect(machine.history('a')).toEqual([]);
    expect(machine.counts()).toMatchObject({ discovered: 1, uninstalled: 0 });
  });

  it('removes only uninstalled plugins', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0');
    const error = thrown(() => machine.remove('a'));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as TrellisError).details).toMatchObject({ from: 'discovered', to: 'removed' });
    expect(machine.has('a')).toBe(true);

    machine.transition('a', 'uninstalled');
    machine.remove('a');
    expect(machine.has('a')).toBe(false);
    expect(machine.counts().uninstalled).toBe(0);
    expect(machine.entries()).toEqual([]);
  });

  it('refuses every transition out of uninstalled', () => {
    const { machine } = setup();
    machine.add('a', '1.0.0', 'uninstalled');
    const error = thrown(() => machine.transition('a', 'discovered'));
    expect((error as TrellisError).details).toMatchObject({ allowed: [] });
    expect((error as TrellisError).message).toContain('"uninstalled" is final');
  });
});
