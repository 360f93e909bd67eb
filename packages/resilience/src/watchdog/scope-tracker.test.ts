import { describe, expect, it } from '@jest/globals';
import { runInPluginScope } from '@trellis/core';
import { EventLoopDelayMonitor } from './event-loop-delay.js';
import { PluginScopeTracker } from './scope-tracker.js';
import { WatchdogSharedState } from './shared-state.js';

function setup() {
  const state = new WatchdogSharedState();
  const names: [number, string][] = [];
  const tracker = new PluginScopeTracker(state, (id, name) => names.push([id, name]));
  return { state, names, tracker };
}

describe('PluginScopeTracker', () => {
  it('marks a plugin scope entered synchronously, and restores the caller’s on return', () => {
    const { state, names, tracker } = setup();
    tracker.enable();
    tracker.enable(); // idempotent
    try {
      const inside = runInPluginScope('a', () => [
        state.running(),
        runInPluginScope('b', () => state.running()),
        state.running(),
      ]);
      expect(inside).toEqual([1, 2, 1]);
      expect(state.running()).toBe(0);
      expect(() =>
        runInPluginScope('a', () => {
          throw new Error('hook failed');
        }),
      ).toThrow('hook failed');
      expect(state.running()).toBe(0);
      expect(names).toEqual([
        [1, 'a'],
        [2, 'b'],
      ]);
    } finally {
      tracker.disable();
    }
  });

  it('marks the plugin at each async callback it scheduled', async () => {
    const { state, tracker } = setup();
    tracker.enable();
    try {
      const seen = await runInPluginScope(
        'timers',
        () => new Promise<number>((resolve) => setTimeout(() => resolve(state.running()), 1)),
      );
      expect(seen).toBe(tracker.idOf('timers'));
      const afterAwait = await runInPluginScope('promises', async () => {
        await null;
        return state.running();
      });
      expect(afterAwait).toBe(tracker.idOf('promises'));
    } finally {
      tracker.disable();
    }
    expect(state.running()).toBe(0);
  });

  it('stops observing once disabled', () => {
    const { state, tracker } = setup();
    tracker.enable();
    tracker.disable();
    runInPluginScope('x', () => expect(state.running()).toBe(0));
  });
});

describe('WatchdogSharedState', () => {
  it('counts heartbeats and records the time of the last one', () => {
    const state = new WatchdogSharedState();
    state.beat(1_000);
    state.beat(2_000);
    expect(state.beats()).toBe(2);
    expect(Number(state.beatAt[0])).toBe(2_000);
  });
});

describe('EventLoopDelayMonitor', () => {
  it('reports zeros before any sample', () => {
    const monitor = new EventLoopDelayMonitor(10);
    expect(monitor.stats().samples).toBe(0);
    monitor.enable();
    monitor.disable();
  });
});
