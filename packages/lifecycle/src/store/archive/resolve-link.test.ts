import { describe, expect, it } from '@jest/globals';
import { pathKey } from './entry-path.js';
import { resolveLinkTarget } from './resolve-link.js';

const none = new Map<string, string>();

describe('resolveLinkTarget', () => {
  it('resolves a relative target from the link folder', () => {
    expect(resolveLinkTarget(['a', 'b'], '../c/./d', none)).toEqual(['a', 'c', 'd']);
  });

  it('refuses a target climbing above the root, even one that comes back', () => {
    expect(resolveLinkTarget(['a'], '../../a', none)).toBeUndefined();
  });

  it('refuses absolute targets', () => {
    expect(resolveLinkTarget([], '/a', none)).toBeUndefined();
    expect(resolveLinkTarget([], 'D:/a', none)).toBeUndefined();
  });

  it('follows links met on the way, from the folder holding each link', () => {
    const links = new Map([[pathKey(['x', 'l']), '../y']]);

    expect(resolveLinkTarget([], 'x/l/z', links)).toEqual(['y', 'z']);
    expect(resolveLinkTarget([], 'x/l/../..', links)).toBeUndefined();
  });

  it('matches links case-insensitively, as macOS and Windows would', () => {
    const links = new Map([[pathKey(['Up']), '..']]);

    expect(resolveLinkTarget([], 'up/x', links)).toBeUndefined();
  });

  it('refuses a link to an absolute path met on the way', () => {
    const links = new Map([[pathKey(['l']), '/etc']]);

    expect(resolveLinkTarget([], 'l/passwd', links)).toBeUndefined();
  });

  it('gives up on a loop', () => {
    const links = new Map([
      [pathKey(['a']), 'b'],
      [pathKey(['b']), 'a'],
    ]);

    expect(resolveLinkTarget([], 'a', links)).toBeUndefined();
  });
});
