import { describe, expect, it } from '@jest/globals';
import {
  createSnapshotId,
  isSnapshotId,
  SNAPSHOT_FILE_PATTERN,
  snapshotFileName,
  snapshotIdTime,
} from './snapshot-id.js';

const MARCH_14 = Date.UTC(2025, 2, 14, 9, 26, 53, 589);

describe('createSnapshotId', () => {
  it('is the UTC time as YYYYMMDDTHHmmssSSSZ, a dash and 4 hex characters', () => {
    expect(createSnapshotId(MARCH_14)).toMatch(/^20250314T092653589Z-[0-9a-f]{4}$/);
  });

  it('sorts as a string in time order', () => {
    const times = [0, 999, 1_000, 59_999, 3_600_000, MARCH_14, MARCH_14 + 1];
    const ids = times.map((t) => createSnapshotId(t));
    expect([...ids].reverse().sort()).toEqual(ids);
  });
});

describe('snapshotIdTime', () => {
  it('reads the time back from an id', () => {
    expect(snapshotIdTime(createSnapshotId(MARCH_14))).toBe(MARCH_14);
  });

  it('is NaN for something that is not an id', () => {
    expect(snapshotIdTime('../../etc/passwd')).toBeNaN();
  });
});

describe('isSnapshotId', () => {
  it('accepts ids and rejects other strings', () => {
    expect(isSnapshotId('20250314T092653589Z-3fa0')).toBe(true);
    expect(isSnapshotId('20250314T092653589Z-3fa0.snapshot.json')).toBe(false);
    expect(isSnapshotId('latest')).toBe(false);
  });
});

describe('snapshotFileName', () => {
  it('is <id>.snapshot.json, which SNAPSHOT_FILE_PATTERN matches back to the id', () => {
    const name = snapshotFileName('20250314T092653589Z-3fa0');
    expect(name).toBe('20250314T092653589Z-3fa0.snapshot.json');
    expect(SNAPSHOT_FILE_PATTERN.exec(name)?.[1]).toBe('20250314T092653589Z-3fa0');
    expect(SNAPSHOT_FILE_PATTERN.test(`.${name}.123.abcdef012345.tmp`)).toBe(false);
  });
});
