import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { parseYamlForEdit } from './yaml-edit.js';

/** The error `run` throws; fails the test when it returns. */
function thrown(run: () => unknown): TrellisError {
  try {
    run();
  } catch (error) {
    if (error instanceof TrellisError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const TEXT = `# comment
a:
  b: 1    # one
  list:
  - x
  - {c: y, d: [z]}
? [complex, key]
: skipped
`;

describe('parseYamlForEdit', () => {
  it('lists every scalar with its dotted path and context, skipping complex keys', () => {
    const sites = [...parseYamlForEdit(TEXT, 'f.yaml').scalars()].map(
      ({ scalar, path, afterKey, inFlow }) => ({
        value: scalar.value,
        path,
        afterKey,
        inFlow,
      }),
    );
    expect(sites).toEqual([
      { value: 1, path: 'a.b', afterKey: true, inFlow: false },
      { value: 'x', path: 'a.list.0', afterKey: false, inFlow: false },
      { value: 'y', path: 'a.list.1.c', afterKey: true, inFlow: true },
      { value: 'z', path: 'a.list.1.d.0', afterKey: false, inFlow: true },
    ]);
  });

  it('gives a scalar document the empty path', () => {
    expect([...parseYamlForEdit('just text\n', 'f.yaml').scalars()].map((site) => site.path)).toEqual(['']);
  });

  it('renders the original text exactly when nothing was edited', () => {
    expect(parseYamlForEdit(TEXT, 'f.yaml').render()).toBe(TEXT);
  });

  it('rewrites one scalar and nothing else', () => {
    const edit = parseYamlForEdit(TEXT, 'f.yaml');
    const site = [...edit.scalars()].find((s) => s.path === 'a.b');
    expect(site && edit.setScalar(site, 'two words')).toBe(true);
    expect(edit.render()).toBe(TEXT.replace('b: 1 ', 'b: two words '));
  });

  it('reports that a key with no value has no text to rewrite', () => {
    const edit = parseYamlForEdit('a:\n', 'f.yaml');
    const [site] = [...edit.scalars()];
    expect(site && edit.setScalar(site, 'x')).toBe(false);
  });

  it('re-renders the document after a structural change', () => {
    const edit = parseYamlForEdit('# c\na: 1\n', 'f.yaml');
    edit.document.setIn(['b', 'c'], 2);
    expect(edit.render({ restructured: true })).toBe('# c\na: 1\nb:\n  c: 2\n');
  });

  it('fails with CONFIG_PARSE_FAILED naming the file, line and column', () => {
    const error = thrown(() => parseYamlForEdit('a: 1\nb: "open\n', 'f.yaml'));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toMatch(/^f\.yaml:3:1: Missing closing "quote/);
  });
});
