import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canTransition, PLUGIN_STATES, PLUGIN_TRANSITIONS, type PluginState } from './plugin-state.js';

// Written out independently of PLUGIN_TRANSITIONS so that a change to the table fails a test.
const EXPECTED_EDGES: readonly (readonly [PluginState, PluginState])[] = [
  ['discovered', 'resolved'],
  ['discovered', 'failed'],
  ['discovered', 'uninstalled'],
  ['resolved', 'starting'],
  ['resolved', 'failed'],
  ['resolved', 'uninstalled'],
  ['starting', 'active'],
  ['starting', 'stopping'],
  ['starting', 'failed'],
  ['active', 'stopping'],
  ['active', 'failed'],
  ['stopping', 'stopped'],
  ['stopping', 'failed'],
  ['stopped', 'starting'],
  ['stopped', 'resolved'],
  ['stopped', 'uninstalled'],
  ['failed', 'starting'],
  ['failed', 'resolved'],
  ['failed', 'stopped'],
  ['failed', 'uninstalled'],
];
const isExpected = (from: PluginState, to: PluginState): boolean =>
  EXPECTED_EDGES.some(([f, t]) => f === from && t === to);

describe('PLUGIN_STATES', () => {
  it('lists the eight states once each', () => {
    expect([...PLUGIN_STATES].sort()).toEqual([
      'active',
      'discovered',
      'failed',
      'resolved',
      'starting',
      'stopped',
      'stopping',
      'uninstalled',
    ]);
  });
});

describe('PLUGIN_TRANSITIONS', () => {
  it('has exactly the expected edges', () => {
    const edges = PLUGIN_STATES.flatMap((from) => PLUGIN_TRANSITIONS[from].map((to) => `${from}->${to}`));
    expect(edges.sort()).toEqual(EXPECTED_EDGES.map(([f, t]) => `${f}->${t}`).sort());
  });

  it('makes uninstalled final', () => {
    expect(PLUGIN_TRANSITIONS.uninstalled).toEqual([]);
  });

  it('is frozen, so no caller can add an edge at run time', () => {
    expect(Object.isFrozen(PLUGIN_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(PLUGIN_TRANSITIONS.active)).toBe(true);
  });
});

describe('canTransition', () => {
  it.each(EXPECTED_EDGES)('accepts %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('rejects every pair that is not in the table', () => {
    const state = fc.constantFrom(...PLUGIN_STATES);
    fc.assert(
      fc.property(state, state, (from, to) => {
        expect(canTransition(from, to)).toBe(isExpected(from, to));
      }),
      { numRuns: 500 },
    );
  });

  it('never allows staying in the same state', () => {
    for (const state of PLUGIN_STATES) expect(canTransition(state, state)).toBe(false);
  });

  it('rejects names that are not states, including Object.prototype keys', () => {
    expect(canTransition('toString' as PluginState, 'active')).toBe(false);
    expect(canTransition('active', 'bogus' as PluginState)).toBe(false);
  });
});
