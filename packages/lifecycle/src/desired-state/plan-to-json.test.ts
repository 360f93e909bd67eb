import { describe, expect, it } from '@jest/globals';
import type { DesiredStatePlan } from './desired-state-plan.js';
import { planToJson } from './plan-to-json.js';

describe('planToJson', () => {
  it('writes a versioned document with the summary, in a fixed key order and without undefined fields', () => {
    const plan: DesiredStatePlan = {
      actions: [
        // Keys deliberately out of order, and an explicit undefined.
        {
          reason: 'not installed',
          source: '/app/a',
          version: '1.0.0',
          name: 'a',
          kind: 'install',
          digest: undefined,
        },
        { reason: 'enabled', name: 'a', kind: 'enable' },
        { to: 'worker', reason: 'r', name: 'b', kind: 'set-isolation' },
      ],
      unchanged: ['c'],
      problems: [{ message: 'm', plugins: ['d', 'e'], kind: 'dependency-disabled', location: 'f:1:1' }],
    };
    expect(JSON.stringify(planToJson(plan))).toBe(
      JSON.stringify({
        format: 1,
        summary: { install: 1, change: 1, remove: 0 },
        actions: [
          { kind: 'install', name: 'a', version: '1.0.0', source: '/app/a', reason: 'not installed' },
          { kind: 'enable', name: 'a', reason: 'enabled' },
          { kind: 'set-isolation', name: 'b', to: 'worker', reason: 'r' },
        ],
        unchanged: ['c'],
        problems: [{ kind: 'dependency-disabled', plugins: ['d', 'e'], message: 'm', location: 'f:1:1' }],
      }),
    );
  });

  it('gives equal text for equal plans and does not share arrays with the plan', () => {
    const plan: DesiredStatePlan = {
      actions: [{ kind: 'uninstall', name: 'x', version: '1.0.0', reason: 'gone' }],
      unchanged: ['y'],
      problems: [{ kind: 'source-not-read', plugins: ['z'], message: 'm' }],
    };
    const json = planToJson(plan);
    expect(JSON.stringify(planToJson(structuredClone(plan)))).toBe(JSON.stringify(json));
    expect(json.unchanged).not.toBe(plan.unchanged);
    expect(json.problems[0]?.plugins).not.toBe(plan.problems[0]?.plugins);
    expect(json.summary).toEqual({ install: 0, change: 0, remove: 1 });
  });
});
