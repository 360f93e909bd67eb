import { describe, expect, it } from '@jest/globals';
import { type BootReport, type PluginBootRecord, summarizeOutcomes } from './boot-report.js';
import { formatBootReport } from './format-boot-report.js';

function plugin(
  name: string,
  dependencies: readonly string[] = [],
  overrides: Partial<PluginBootRecord> = {},
): PluginBootRecord {
  return {
    name,
    version: '1.0.0',
    isolation: 'inline',
    wave: 0,
    outcome: 'active',
    critical: false,
    policy: 'continue',
    dependencies,
    timings: { loadMs: 3, setupMs: 1, startMs: 0 },
    ...overrides,
  };
}

function report(plugins: readonly PluginBootRecord[], overrides: Partial<BootReport> = {}): BootReport {
  return {
    startedAt: 1_000,
    durationMs: 42,
    waves: [],
    plugins,
    ready: true,
    counts: summarizeOutcomes(plugins),
    ...overrides,
  };
}

// B and C depend on A; D depends on B and C. Listed out of order to prove the sorting.
const diamond = [
  plugin('d', ['c', 'b'], {
    version: '0.1.0',
    critical: true,
    timings: { loadMs: 7.6, setupMs: 2.2, startMs: 0.4 },
  }),
  plugin('c', ['a'], { version: '2.0.0' }),
  plugin('b', ['a'], { version: '1.1.0', isolation: 'worker' }),
  plugin('a'),
];

describe('summarizeOutcomes', () => {
  it('counts every outcome, zero included', () => {
    expect(
      summarizeOutcomes([
        { outcome: 'active' },
        { outcome: 'active' },
        { outcome: 'failed' },
        { outcome: 'lazy' },
      ]),
    ).toEqual({ active: 2, lazy: 1, failed: 1, disabled: 0, skipped: 0 });
  });
});

describe('formatBootReport', () => {
  it('draws a diamond in start order, printing the shared plugin once', () => {
    expect(formatBootReport(report(diamond))).toBe(
      [
        'plugins: 4 active · ready · 42 ms',
        '└─ a@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
        '   ├─ b@1.1.0  active  [worker]  load 3 ms · setup 1 ms · start 0 ms',
        '   │  └─ d@0.1.0  active  [critical]  load 8 ms · setup 2 ms · start 0 ms',
        '   └─ c@2.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
        '      └─ d@0.1.0 (see above)',
      ].join('\n'),
    );
  });

  it('shows errors instead of timings, several roots, and why boot is not ready', () => {
    const plugins = [
      ...diamond,
      plugin('audit', [], {
        outcome: 'lazy',
        isolation: 'process',
        timings: { loadMs: 0, setupMs: 0, startMs: 0 },
      }),
      plugin('mail', ['a'], {
        outcome: 'failed',
        critical: true,
        error: {
          code: 'PLUGIN_HOOK_TIMEOUT',
          message: 'Plugin "mail" did not finish start within 50 ms.\nFix: make it faster.',
        },
      }),
      plugin('sms', ['mail'], { outcome: 'skipped' }),
      plugin('legacy', [], {
        outcome: 'disabled',
        wave: -1,
        error: { code: 'PLUGIN_DISABLED', message: 'Disabled by config.' },
      }),
    ];
    expect(formatBootReport(report(plugins, { ready: false, durationMs: 1_234.4 }))).toBe(
      [
        'plugins: 4 active, 1 lazy, 1 failed, 1 disabled, 1 skipped · NOT READY (critical plugin mail failed) · 1234 ms',
        '├─ a@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
        '│  ├─ b@1.1.0  active  [worker]  load 3 ms · setup 1 ms · start 0 ms',
        '│  │  └─ d@0.1.0  active  [critical]  load 8 ms · setup 2 ms · start 0 ms',
        '│  ├─ c@2.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
        '│  │  └─ d@0.1.0 (see above)',
        '│  └─ mail@1.0.0  failed  [critical]  PLUGIN_HOOK_TIMEOUT: Plugin "mail" did not finish start within 50 ms.',
        '│     └─ sms@1.0.0  skipped',
        '├─ audit@1.0.0  lazy  [process]  load 0 ms · setup 0 ms · start 0 ms',
        '└─ legacy@1.0.0  disabled  PLUGIN_DISABLED: Disabled by config.',
      ].join('\n'),
    );
  });

  it('names the first critical plugin that is not active, and how many more there are', () => {
    const plugins = [
      plugin('zeta', [], { critical: true, outcome: 'disabled' }),
      plugin('beta', [], { critical: true, outcome: 'skipped' }),
      plugin('ok', [], { critical: true }),
    ];
    const header = formatBootReport(report(plugins, { ready: false })).split('\n')[0];
    expect(header).toBe(
      'plugins: 1 active, 1 disabled, 1 skipped · NOT READY (critical plugin beta was skipped, +1 more) · 42 ms',
    );
  });

  it('says the boot was aborted, and by which plugin', () => {
    const plugins = [
      plugin('db', [], { outcome: 'failed', policy: 'abort', error: { code: 'ERROR', message: 'no route' } }),
    ];
    const header = formatBootReport(
      report(plugins, {
        ready: false,
        aborted: { plugin: 'db', error: { code: 'ERROR', message: 'no route' } },
      }),
    ).split('\n')[0];
    expect(header).toBe('plugins: 1 failed · NOT READY (boot aborted: plugin db failed) · 42 ms');
  });

  it('prints a bare NOT READY when the report gives no reason, and "none" for no plugins', () => {
    expect(formatBootReport(report([], { ready: false, durationMs: 0 }))).toBe(
      'plugins: none · NOT READY · 0 ms',
    );
  });

  it('uses no colour unless asked', () => {
    const plugins = [plugin('x', [], { outcome: 'failed', error: { code: 'E', message: 'm' } })];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes on purpose
    expect(formatBootReport(report(plugins, { ready: false }))).not.toMatch(/\u001b\[/);
  });

  it('colours failed red, disabled yellow, lazy and repeats dim, and NOT READY red, when asked', () => {
    const plugins = [
      plugin('a'),
      plugin('b', ['a'], { outcome: 'failed', error: { code: 'E', message: 'boom' } }),
      plugin('c', ['a', 'b']),
      plugin('d', [], { outcome: 'disabled' }),
      plugin('e', [], { outcome: 'lazy' }),
    ];
    const lines = formatBootReport(report(plugins, { ready: false }), { color: true }).split('\n');
    expect(lines).toEqual([
      'plugins: 2 active, 1 lazy, 1 failed, 1 disabled · \u001b[31mNOT READY\u001b[39m · 42 ms',
      '├─ a@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '│  ├─ \u001b[31mb@1.0.0  failed  E: boom\u001b[39m',
      '│  │  └─ c@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '│  └─ \u001b[2mc@1.0.0 (see above)\u001b[22m',
      '├─ \u001b[33md@1.0.0  disabled\u001b[39m',
      '└─ \u001b[2me@1.0.0  lazy  load 3 ms · setup 1 ms · start 0 ms\u001b[22m',
    ]);
  });

  it('terminates on a dependency cycle and still draws every plugin of it', () => {
    // x and y wait on each other; nothing without dependencies reaches them.
    const plugins = [plugin('root'), plugin('y', ['x']), plugin('x', ['y']), plugin('self', ['self'])];
    expect(formatBootReport(report(plugins)).split('\n').slice(1)).toEqual([
      '├─ root@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '├─ self@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '└─ x@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '   └─ y@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '      └─ x@1.0.0 (see above)',
    ]);
  });

  it('treats dependencies missing from the report as absent', () => {
    const lines = formatBootReport(report([plugin('a', ['ghost']), plugin('b', ['a', 'ghost'])])).split('\n');
    expect(lines.slice(1)).toEqual([
      '└─ a@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
      '   └─ b@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms',
    ]);
  });

  it('draws a chain of 5,000 plugins, each one level deeper than the last', () => {
    const name = (i: number): string => `p${String(i).padStart(4, '0')}`;
    const plugins = Array.from({ length: 5_000 }, (_, i) => plugin(name(i), i === 0 ? [] : [name(i - 1)]));
    const lines = formatBootReport(report(plugins)).split('\n');
    expect(lines).toHaveLength(5_001);
    expect(lines.at(-1)).toBe(
      `${' '.repeat(3 * 4_999)}└─ p4999@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms`,
    );
  });
});
