import { describe, expect, it } from '@jest/globals';
import { formatPluginTree, type PluginStatus } from './plugin-status.js';

const timings = { loadMs: 3, setupMs: 1, startMs: 0 };

describe('formatPluginTree', () => {
  it('draws one branch per plugin with timings or the first line of its error', () => {
    const statuses: PluginStatus[] = [
      { name: 'hello', version: '0.1.0', dir: '/p/hello', state: 'active', timings },
      {
        name: 'broken',
        version: '1.0.0',
        dir: '/p/broken',
        state: 'failed',
        timings,
        error: { code: 'PLUGIN_LOAD_FAILED', message: 'first line\nsecond line' },
      },
    ];
    expect(formatPluginTree(statuses)).toBe(
      [
        'plugins: 1 active, 1 failed',
        '├─ hello@0.1.0  active  load 3 ms · setup 1 ms · start 0 ms',
        '└─ broken@1.0.0  failed  PLUGIN_LOAD_FAILED: first line',
      ].join('\n'),
    );
  });

  it('says so when there are no plugins', () => {
    expect(formatPluginTree([])).toBe('plugins: 0 active, 0 failed');
  });
});
