import { describe, expect, it } from '@jest/globals';
import { DesiredSourceUnreadableError } from './desired-state-errors.js';
import { desiredOf, sourceOf, want, wantSource } from './desired-state-fixtures.js';
import type { DesiredSourceManifest } from './desired-state-plan.js';
import { readDesiredSources } from './read-desired-sources.js';

describe('readDesiredSources', () => {
  it('reads each distinct source once and keys the manifests by resolved path', async () => {
    const shared = { source: '/app/src/shared', sourceAsWritten: './src/shared' };
    const desired = desiredOf(
      wantSource('a'),
      want('b', shared),
      want('c', shared),
      want('d', { version: '1.0.0' }),
    );
    const reads: string[] = [];
    const manifests = await readDesiredSources(desired, async (path) => {
      reads.push(path);
      return { name: path.slice(path.lastIndexOf('/') + 1), version: '1.0.0', digest: `digest of ${path}` };
    });
    expect(reads.sort()).toEqual(['/app/src/a', '/app/src/shared']);
    expect([...manifests.keys()]).toEqual(['/app/src/a', '/app/src/shared']);
    expect(manifests.get('/app/src/shared')).toEqual({
      name: 'shared',
      version: '1.0.0',
      digest: 'digest of /app/src/shared',
    });
  });

  it('reads at most `concurrency` sources at a time', async () => {
    const desired = desiredOf(...Array.from({ length: 12 }, (_, i) => wantSource(`p${i}`)));
    let running = 0;
    let peak = 0;
    const read = async (path: string): Promise<DesiredSourceManifest> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => setImmediate(resolve));
      running -= 1;
      return sourceOf(path.slice(path.lastIndexOf('/') + 1), '1.0.0')[1];
    };
    await readDesiredSources(desired, read, { concurrency: 3 });
    expect(peak).toBe(3);
    peak = 0;
    await readDesiredSources(desired, read);
    expect(peak).toBe(8);
  });

  it('reads nothing for a desired state without sources', async () => {
    const manifests = await readDesiredSources(desiredOf(want('a', { version: '1.0.0' })), async () => {
      throw new Error('no read expected');
    });
    expect(manifests.size).toBe(0);
  });

  it('lists every source that failed, with the plugins that use it, after all reads settle', async () => {
    const shared = { source: '/app/src/shared', sourceAsWritten: './src/shared' };
    const desired = desiredOf(wantSource('ok'), wantSource('bad'), want('x', shared), want('y', shared));
    const read = async (path: string): Promise<DesiredSourceManifest> => {
      if (path.endsWith('/ok')) return sourceOf('ok', '1.0.0')[1];
      throw path.endsWith('/bad') ? new Error('ENOENT: no such file') : 'not a plugin';
    };
    const failure = await readDesiredSources(desired, read).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DesiredSourceUnreadableError);
    const error = failure as DesiredSourceUnreadableError;
    expect(error.code).toBe('PLUGIN_DESIRED_SOURCE_UNREADABLE');
    expect(error.failures.map(({ source, plugins }) => [source, plugins])).toEqual([
      ['/app/src/bad', ['bad']],
      ['/app/src/shared', ['x', 'y']],
    ]);
    expect(error.message).toContain('/app/src/bad (for bad): ENOENT: no such file');
    expect(error.message).toContain('/app/src/shared (for x, y): not a plugin');
    expect((error.cause as Error).message).toBe('ENOENT: no such file');
  });
});
