import { describe, expect, it } from '@jest/globals';
import { compileGlob, compileGlobSegment, hasGlobMagic } from './glob-pattern.js';

describe('compileGlob', () => {
  it('matches * within one segment only', () => {
    const glob = compileGlob('plugins/*');
    expect(glob.test('plugins/a')).toBe(true);
    expect(glob.test('plugins/a/b')).toBe(false);
    expect(glob.test('other/a')).toBe(false);
  });

  it('matches a leading **/ at any depth, none included', () => {
    const glob = compileGlob('**/legacy');
    expect(glob.test('legacy')).toBe(true);
    expect(glob.test('a/b/legacy')).toBe(true);
    expect(glob.test('a/legacy-2')).toBe(false);
  });

  it('matches a trailing /** on the folder itself and everything below it', () => {
    const glob = compileGlob('**/node_modules/**');
    expect(glob.test('node_modules')).toBe(true);
    expect(glob.test('a/node_modules')).toBe(true);
    expect(glob.test('a/node_modules/b/c')).toBe(true);
    expect(glob.test('a/node_modules2')).toBe(false);
  });

  it('matches a middle /**/ on any number of folders', () => {
    const glob = compileGlob('packages/**/plugins');
    expect(glob.test('packages/plugins')).toBe(true);
    expect(glob.test('packages/a/b/plugins')).toBe(true);
    expect(glob.test('packages/a/b/other')).toBe(false);
  });

  it('matches everything with **', () => {
    expect(compileGlob('**').test('a/b')).toBe(true);
  });

  it('matches ? on one character and escapes RegExp characters', () => {
    expect(compileGlob('v?').test('v1')).toBe(true);
    expect(compileGlob('v?').test('v10')).toBe(false);
    expect(compileGlob('a.b+(c)').test('a.b+(c)')).toBe(true);
    expect(compileGlob('a.b').test('axb')).toBe(false);
  });

  it('ignores empty segments from doubled or trailing slashes', () => {
    expect(compileGlob('legacy//old/').test('legacy/old')).toBe(true);
  });
});

describe('compileGlobSegment', () => {
  it('matches a whole name', () => {
    expect(compileGlobSegment('plugin-*').test('plugin-a')).toBe(true);
    expect(compileGlobSegment('plugin-*').test('my-plugin-a')).toBe(false);
  });
});

describe('hasGlobMagic', () => {
  it('is true for *, ** and ?', () => {
    expect(hasGlobMagic('plugins/*')).toBe(true);
    expect(hasGlobMagic('**')).toBe(true);
    expect(hasGlobMagic('v?')).toBe(true);
    expect(hasGlobMagic('plugins')).toBe(false);
  });
});
