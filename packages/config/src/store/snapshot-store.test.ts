import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock, TrellisError } from '@trellis/core';
import type { SnapshotCorruptError, SnapshotNotFoundError } from '../errors.js';
import { SNAPSHOT_RETAIN_DEFAULT, type SnapshotInput, SnapshotStore } from './snapshot-store.js';

const START = Date.UTC(2025, 2, 14, 9, 26, 53, 589);
const INPUT: SnapshotInput = {
  label: 'before migrate',
  files: { 'default.yaml': 'port: 8080\n', 'env/production.yaml': 'port: 80\n' },
  meta: { version: 3 },
};

let root: string;
let dir: string;
let clock: ManualClock;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-snapshots-'));
  dir = join(root, 'backups');
  clock = new ManualClock(START);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function storeWith(retain?: number): SnapshotStore {
  return new SnapshotStore({ dir, clock, ...(retain === undefined ? {} : { retain }) });
}

/** Saves `count` snapshots one second apart; returns their ids in save order. */
async function saveMany(store: SnapshotStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await store.save({ ...INPUT, label: `save ${i}` })).id);
    clock.advance(1_000);
  }
  return ids;
}

async function failure(promise: Promise<unknown>): Promise<TrellisError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      if (!TrellisError.is(error)) throw error;
      return error;
    },
  );
}

describe('SnapshotStore', () => {
  describe('save', () => {
    it('writes <id>.snapshot.json into the directory, creating it, and describes it', async () => {
      const info = await storeWith().save(INPUT);

      expect(info).toEqual({
        id: expect.stringMatching(/^20250314T092653589Z-[0-9a-f]{4}$/),
        createdAt: START,
        label: 'before migrate',
        file: join(dir, `${info.id}.snapshot.json`),
        bytes: (await stat(info.file)).size,
        checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        corrupt: false,
      });
      expect(await readdir(dir)).toEqual([`${info.id}.snapshot.json`]);
    });

    it('stores an empty meta when none is given', async () => {
      const store = storeWith();
      const { id } = await store.save({ label: 'plain', files: {} });
      expect((await store.get(id)).meta).toEqual({});
    });

    it('refuses a file name that leaves the config directory with ConfigWriteError, writing nothing', async () => {
      const error = await failure(storeWith().save({ label: 'bad', files: { '../../etc/passwd': 'x' } }));

      expect(error.code).toBe('CONFIG_WRITE_FAILED');
      expect(error.message).toContain('"../../etc/passwd" is not a path inside the config directory');
      expect(await storeWith().list()).toEqual([]);
    });
  });

  describe('get', () => {
    it('returns the snapshot that was saved', async () => {
      const store = storeWith();
      const { id } = await store.save(INPUT);
      expect(await store.get(id)).toEqual({ id, createdAt: START, ...INPUT });
    });

    it('throws CONFIG_SNAPSHOT_NOT_FOUND listing the known ids for an unknown id', async () => {
      const store = storeWith();
      const ids = await saveMany(store, 2);

      const error = (await failure(store.get('20200101T000000000Z-0000'))) as SnapshotNotFoundError;

      expect(error.code).toBe('CONFIG_SNAPSHOT_NOT_FOUND');
      expect(error.message).toContain('No backup "20200101T000000000Z-0000"');
      expect(error.details).toEqual({ id: '20200101T000000000Z-0000', known: ids });
    });

    it('throws CONFIG_SNAPSHOT_NOT_FOUND for a string that is not an id, without touching the disk', async () => {
      const error = await failure(storeWith().get('../../etc/passwd'));
      expect(error.code).toBe('CONFIG_SNAPSHOT_NOT_FOUND');
    });

    it('refuses a snapshot with a flipped byte in its body: CONFIG_SNAPSHOT_CORRUPT naming the checksum', async () => {
      const store = storeWith();
      const { id, file } = await store.save(INPUT);
      const bytes = await readFile(file);
      const at = bytes.indexOf('port: 8080') + 'port: '.length;
      bytes[at] = (bytes[at] ?? 0) ^ 0x01; // '8' becomes '9': still valid JSON
      await writeFile(file, bytes);

      const error = (await failure(store.get(id))) as SnapshotCorruptError;

      expect(error.code).toBe('CONFIG_SNAPSHOT_CORRUPT');
      expect(error.message).toContain('checksum');
      expect(error.message).toContain(`Backup "${id}" (${file}) is corrupt`);
      expect(error.details).toEqual({ id, file });
    });

    it('refuses a snapshot cut in half: CONFIG_SNAPSHOT_CORRUPT', async () => {
      const store = storeWith();
      const { id, file } = await store.save(INPUT);
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));

      const error = await failure(store.get(id));

      expect(error.code).toBe('CONFIG_SNAPSHOT_CORRUPT');
      expect(error.message).toContain('truncated');
    });

    it('refuses a snapshot file that cannot be read', async () => {
      const id = '20250314T092653589Z-0000';
      await mkdir(join(dir, `${id}.snapshot.json`), { recursive: true });

      const error = await failure(storeWith().get(id));

      expect(error.code).toBe('CONFIG_SNAPSHOT_CORRUPT');
      expect(error.message).toContain('could not be read');
    });
  });

  describe('list', () => {
    it('is empty when the directory does not exist yet', async () => {
      expect(await storeWith().list()).toEqual([]);
    });

    it('lists every snapshot oldest first, in time order', async () => {
      const store = storeWith();
      const ids = await saveMany(store, 3);

      const listed = await store.list();

      expect(listed.map((info) => info.id)).toEqual(ids);
      expect([...ids].sort()).toEqual(ids);
      expect(listed.map((info) => [info.createdAt, info.label])).toEqual([
        [START, 'save 0'],
        [START + 1_000, 'save 1'],
        [START + 2_000, 'save 2'],
      ]);
    });

    it('lists corrupt files with corrupt: true and the problem, and still lists the others', async () => {
      const store = storeWith();
      const [first, second, third] = await saveMany(store, 3);
      const secondFile = join(dir, `${second}.snapshot.json`);
      await writeFile(secondFile, '{"format":"trellis-config-snap');

      const listed = await store.list();

      expect(listed.map((info) => [info.id, info.corrupt])).toEqual([
        [first, false],
        [second, true],
        [third, false],
      ]);
      expect(listed[1]).toEqual({
        id: second,
        createdAt: START + 1_000,
        label: '',
        file: secondFile,
        bytes: 30,
        checksum: '',
        corrupt: true,
        problem: expect.stringContaining('not valid JSON'),
      });
    });

    it('ignores temp files and files that are not snapshots', async () => {
      const store = storeWith();
      const { id } = await store.save(INPUT);
      await writeFile(join(dir, `.${id}.snapshot.json.123.0123456789ab.tmp`), 'partial');
      await writeFile(join(dir, 'README.txt'), 'backups live here');

      expect((await store.list()).map((info) => info.id)).toEqual([id]);
    });

    it('throws when the snapshot directory is a file', async () => {
      await mkdir(root, { recursive: true });
      await writeFile(dir, 'not a directory');
      await expect(storeWith().list()).rejects.toMatchObject({ code: 'ENOTDIR' });
    });
  });

  describe('latest', () => {
    it('is undefined when there are no snapshots', async () => {
      expect(await storeWith().latest()).toBeUndefined();
    });

    it('is the newest snapshot', async () => {
      const store = storeWith();
      const ids = await saveMany(store, 3);
      expect((await store.latest())?.id).toBe(ids[2]);
    });

    it('refuses a corrupt newest snapshot rather than falling back to an older one', async () => {
      const store = storeWith();
      const [, newest] = await saveMany(store, 2);
      await writeFile(join(dir, `${newest}.snapshot.json`), '');

      const error = await failure(store.latest());

      expect(error.code).toBe('CONFIG_SNAPSHOT_CORRUPT');
      expect(error.message).toContain('the file is empty');
    });
  });

  describe('retention', () => {
    it(`keeps ${SNAPSHOT_RETAIN_DEFAULT} snapshots by default`, () => {
      expect(new SnapshotStore({ dir }).retain).toBe(SNAPSHOT_RETAIN_DEFAULT);
    });

    it('removes the oldest snapshots beyond retain after each save', async () => {
      const store = storeWith(3);
      const ids = await saveMany(store, 5);
      expect((await store.list()).map((info) => info.id)).toEqual(ids.slice(2));
    });

    it('prune() removes the oldest beyond retain and returns their ids', async () => {
      const ids = await saveMany(storeWith(10), 5);

      expect(await storeWith(2).prune()).toEqual(ids.slice(0, 3));
      expect((await storeWith().list()).map((info) => info.id)).toEqual(ids.slice(3));
      expect(await storeWith(2).prune()).toEqual([]);
    });

    it('counts corrupt snapshots and prunes them when they are oldest', async () => {
      const store = storeWith(2);
      const [oldest, second] = await saveMany(store, 2);
      await writeFile(join(dir, `${oldest}.snapshot.json`), 'garbage');

      const { id } = await store.save(INPUT);

      expect((await store.list()).map((info) => info.id)).toEqual([second, id]);
    });

    it('never prunes the snapshot just saved, even when the clock went backwards', async () => {
      const store = storeWith(2);
      const ids = await saveMany(store, 2);
      const backwards = new SnapshotStore({ dir, retain: 2, clock: new ManualClock(START - 60_000) });

      const { id } = await backwards.save(INPUT);

      expect((await store.list()).map((info) => info.id)).toEqual([id, ids[1]]);
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses retain %p', (retain) => {
      expect(() => new SnapshotStore({ dir, retain })).toThrow(RangeError);
    });
  });

  it('timestamps with the system clock by default', async () => {
    const before = Date.now();
    const { createdAt } = await new SnapshotStore({ dir }).save(INPUT);
    expect(createdAt).toBeGreaterThanOrEqual(before);
    expect(createdAt).toBeLessThanOrEqual(Date.now());
  });
});
