import { describe, expect, it } from '@jest/globals';
import { PluginNameTakenError } from '../errors.js';
import type { DiscoveredManifest } from '../manifest/manifest-schema.js';
import type { FoundManifest } from '../manifest/read-manifest.js';
import { compareText, pickWinners } from './pick-winners.js';

function found(name: string, version: string, dir: string): FoundManifest {
  const manifest = { name, version, platform: '*' } as DiscoveredManifest;
  return { manifest, dir, file: `${dir}/trellis.plugin.json`, source: 'trellis.plugin.json' };
}

describe('pickWinners', () => {
  it('keeps the highest version of a name and warns about the other', () => {
    const { winners, conflicts } = pickWinners([found('a', '1.0.0', '/p/a1'), found('a', '1.10.0', '/p/a2')]);
    expect(winners.map((w) => w.dir)).toEqual(['/p/a2']);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toBeInstanceOf(PluginNameTakenError);
    expect(conflicts[0]?.message).toContain(
      '/p/a2/trellis.plugin.json is used, /p/a1/trellis.plugin.json is ignored',
    );
  });

  it('breaks a version tie by the path that sorts first, whatever the input order', () => {
    const one = found('a', '1.0.0', '/p/b');
    const two = found('a', '1.0.0', '/p/a');
    expect(pickWinners([one, two]).winners[0]?.dir).toBe('/p/a');
    expect(pickWinners([two, one]).winners[0]?.dir).toBe('/p/a');
  });

  it('ranks a release above its prerelease', () => {
    const { winners } = pickWinners([found('a', '2.0.0-rc.1', '/p/a'), found('a', '2.0.0', '/p/b')]);
    expect(winners[0]?.dir).toBe('/p/b');
  });

  it('returns winners sorted by name', () => {
    const { winners, conflicts } = pickWinners([
      found('b', '1.0.0', '/b'),
      found('@z/a', '1.0.0', '/z'),
      found('a', '1.0.0', '/a'),
    ]);
    expect(winners.map((w) => w.manifest.name)).toEqual(['@z/a', 'a', 'b']);
    expect(conflicts).toEqual([]);
  });
});

describe('compareText', () => {
  it('orders by code units, not locale', () => {
    expect(['b', 'B', 'a'].sort(compareText)).toEqual(['B', 'a', 'b']);
    expect(compareText('a', 'a')).toBe(0);
  });
});
