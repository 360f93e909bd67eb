import { describe, expect, it } from '@jest/globals';
import { formatCell, formatTable } from './format-table.js';

describe('formatTable', () => {
  it('pads every column to its widest cell', () => {
    const table = formatTable([
      { name: 'cache', state: 'active', restarts: 0 },
      { name: 'security', state: 'failed', restarts: 12 },
    ]);
    expect(table.split('\n')).toEqual([
      'name      state   restarts',
      'cache     active  0',
      'security  failed  12',
    ]);
  });

  it('takes columns from every row, in first-seen order, leaving missing cells empty', () => {
    const table = formatTable([{ a: 'x' }, { b: 'y', a: 'zz' }]);
    expect(table.split('\n')).toEqual(['a   b', 'x', 'zz  y']);
  });

  it('returns an empty string for no rows', () => {
    expect(formatTable([])).toBe('');
  });
});

describe('formatCell', () => {
  it('prints null and undefined as empty, objects as JSON and scalars as text', () => {
    expect([null, undefined, { a: 1 }, [1, 2], true, 3, 'text'].map(formatCell)).toEqual([
      '',
      '',
      '{"a":1}',
      '[1,2]',
      'true',
      '3',
      'text',
    ]);
  });
});
