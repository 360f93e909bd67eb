import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { assertContained } from './assert-contained.js';

let work: string;
let root: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-contained-'));
  root = join(work, 'root');
  await mkdir(join(root, 'lib'), { recursive: true });
  await writeFile(join(root, 'lib', 'a.js'), 'abc');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('assertContained', () => {
  it('counts files and accepts links inside and dangling ones', async () => {
    await symlink('a.js', join(root, 'lib', 'inside'));
    await symlink('missing', join(root, 'lib', 'dangling'));

    expect(await assertContained(root)).toEqual({ files: 1, bytes: 3 });
  });

  it('reports a path whose real location is outside the folder', async () => {
    await writeFile(join(work, 'secret'), 's');
    await symlink(join(work, 'secret'), join(root, 'lib', 'out'));

    expect(await assertContained(root)).toEqual({ escaped: join('lib', 'out'), real: join(work, 'secret') });
  });
});
