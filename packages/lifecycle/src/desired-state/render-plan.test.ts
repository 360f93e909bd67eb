import { describe, expect, it } from '@jest/globals';
import type { DesiredStatePlan, PlanAction } from './desired-state-plan.js';
import { renderPlan } from './render-plan.js';

const actions: PlanAction[] = [
  { kind: 'uninstall', name: 'old', version: '0.3.0', reason: '' },
  { kind: 'disable', name: 'x', reason: '' },
  {
    kind: 'install',
    name: 'hello',
    version: '1.0.0',
    source: '/app/plugins/hello',
    sourceAsWritten: './plugins/hello',
    reason: '',
  },
  { kind: 'install', name: 'held', version: '2.0.0', reason: '' },
  { kind: 'upgrade', name: 'weather', from: '1.0.0', to: '1.2.0', reason: '' },
  { kind: 'downgrade', name: 'maps', from: '3.0.0', to: '2.1.0', source: '/app/dist/maps.tgz', reason: '' },
  {
    kind: 'reinstall',
    name: 'notes',
    version: '2.0.0',
    source: '/app/dist/notes-2.0.0.tgz',
    sourceAsWritten: './dist/notes-2.0.0.tgz',
    fromDigest: 'aaaaaaaaaaaaaaaaaaaaaaaa',
    digest: 'bbbbbbbbbbbbbbbbbbbbbbbb',
    reason: '',
  },
  { kind: 'set-isolation', name: 'notes', from: 'inline', to: 'process', reason: '' },
  { kind: 'set-isolation', name: 'maps', from: 'worker', reason: '' },
  { kind: 'set-isolation', name: 'hello', to: 'worker', reason: '' },
  { kind: 'enable', name: 'hello', reason: '' },
];

const plan: DesiredStatePlan = { actions, unchanged: [], problems: [] };

describe('renderPlan', () => {
  it('writes one line per action with its symbol, then counts plugins', () => {
    expect(renderPlan(plan)).toBe(
      [
        '  - uninstall old 0.3.0',
        '  ~ disable x',
        '  + install hello 1.0.0 (from ./plugins/hello)',
        '  + install held 2.0.0',
        '  ~ upgrade weather 1.0.0 → 1.2.0',
        '  ~ downgrade maps 3.0.0 → 2.1.0 (from /app/dist/maps.tgz)',
        '-/+ reinstall notes 2.0.0 (from ./dist/notes-2.0.0.tgz): changed without a version bump (aaaaaaaaaaaa → bbbbbbbbbbbb)',
        '  ~ set-isolation notes inline → process',
        '  ~ set-isolation maps worker → (manifest)',
        '  ~ set-isolation hello (manifest) → worker',
        '  ~ enable hello',
        '',
        'Plan: 2 to install, 4 to change, 1 to remove.',
        '',
      ].join('\n'),
    );
  });

  it('omits the digests of a reinstall when the installed one is unknown', () => {
    const reinstall: PlanAction = {
      kind: 'reinstall',
      name: 'n',
      version: '1.0.0',
      source: '/s',
      digest: 'd',
      reason: '',
    };
    expect(renderPlan({ actions: [reinstall], unchanged: [], problems: [] })).toContain(
      '-/+ reinstall n 1.0.0 (from /s): changed without a version bump\n',
    );
  });

  it('says when nothing changes, naming the file', () => {
    const empty = { actions: [], unchanged: ['hello'], problems: [] };
    expect(renderPlan(empty)).toBe('No changes. The plugins match trellis.plugins.yaml.\n');
    expect(renderPlan(empty, { file: 'deploy/prod.plugins.yaml' })).toBe(
      'No changes. The plugins match deploy/prod.plugins.yaml.\n',
    );
  });

  it('lists problems first as Error lines and says the plan will be refused', () => {
    const withProblems: DesiredStatePlan = {
      actions: [actions[0] as PlanAction],
      unchanged: [],
      problems: [
        {
          kind: 'version-not-in-store',
          plugins: ['w'],
          message: 'w: version 9.0.0 is not in the plugin store',
          location: 'trellis.plugins.yaml:6:3',
        },
        { kind: 'dependency-cycle', plugins: ['a', 'b'], message: 'a cycle' },
      ],
    };
    expect(renderPlan(withProblems)).toBe(
      [
        'Error: trellis.plugins.yaml:6:3 w: version 9.0.0 is not in the plugin store',
        'Error: a cycle',
        '',
        '  - uninstall old 0.3.0',
        '',
        'Plan: 0 to install, 0 to change, 1 to remove.',
        'Fix the 2 errors above, then plan again; apply refuses this plan.',
        '',
      ].join('\n'),
    );
  });

  it('does not claim "no changes" when a plan with no actions has a problem', () => {
    const text = renderPlan({
      actions: [],
      unchanged: [],
      problems: [{ kind: 'source-not-read', plugins: ['a'], message: 'a: not read' }],
    });
    expect(text).toBe(
      'Error: a: not read\n\nFix the error above, then plan again; apply refuses this plan.\n',
    );
  });

  it('colours symbols and errors for a terminal, and only when asked', () => {
    const colored = renderPlan(
      {
        actions: [actions[0] as PlanAction, actions[1] as PlanAction, actions[2] as PlanAction],
        unchanged: [],
        problems: [{ kind: 'source-not-read', plugins: ['a'], message: 'a: not read' }],
      },
      { color: true },
    );
    expect(colored).toContain('\x1b[1;31mError:\x1b[0m a: not read');
    expect(colored).toContain('\x1b[31m  -\x1b[0m uninstall old 0.3.0');
    expect(colored).toContain('\x1b[33m  ~\x1b[0m disable x');
    expect(colored).toContain('\x1b[32m  +\x1b[0m install hello');
    expect(renderPlan(plan)).not.toContain('\x1b[');
  });
});
