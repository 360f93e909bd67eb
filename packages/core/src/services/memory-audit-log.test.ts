import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../time/manual-clock.js';
import type { AuditEntry } from './audit-log.js';
import { MemoryAuditLog } from './memory-audit-log.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  action: 'plugin.install',
  actor: 'admin',
  target: 'hello',
  outcome: 'success',
  ...overrides,
});

describe('MemoryAuditLog', () => {
  describe('record', () => {
    it('returns the entry with a sequence number and the time from the clock', async () => {
      const log = new MemoryAuditLog({ clock: new ManualClock(5_000) });
      const record = await log.record(entry({ details: { version: '1.0.0' } }));
      expect(record).toEqual({ ...entry({ details: { version: '1.0.0' } }), sequence: 1, at: 5_000 });
    });

    it('numbers records from 1, increasing by one', async () => {
      const log = new MemoryAuditLog();
      const records = [await log.record(entry()), await log.record(entry()), await log.record(entry())];
      expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    });

    it('stamps each record with the clock time when it was recorded', async () => {
      const clock = new ManualClock(100);
      const log = new MemoryAuditLog({ clock });
      await log.record(entry());
      clock.advance(50);
      await log.record(entry());
      expect((await log.query()).map((r) => r.at)).toEqual([100, 150]);
    });

    it('uses the system clock by default', async () => {
      const before = Date.now();
      const record = await new MemoryAuditLog().record(entry());
      expect(record.at).toBeGreaterThanOrEqual(before);
      expect(record.at).toBeLessThanOrEqual(Date.now());
    });

    it('returns a frozen record', async () => {
      const record = await new MemoryAuditLog().record(entry());
      expect(Object.isFrozen(record)).toBe(true);
      expect(() => {
        (record as { actor: string }).actor = 'mallory';
      }).toThrow(TypeError);
    });

    it('stores a copy, so changing the entry afterwards does not change the record', async () => {
      const log = new MemoryAuditLog();
      const mutable = { ...entry() };
      await log.record(mutable);
      mutable.actor = 'mallory';
      expect((await log.query())[0]?.actor).toBe('admin');
    });

    it('keeps sequence numbers per log', async () => {
      const first = new MemoryAuditLog();
      await first.record(entry());
      const record = await new MemoryAuditLog().record(entry());
      expect(record.sequence).toBe(1);
    });
  });

  describe('query', () => {
    async function seeded() {
      const clock = new ManualClock(0);
      const log = new MemoryAuditLog({ clock });
      await log.record(entry({ actor: 'ann', action: 'config.set', target: 'cache.ttlMs' }));
      clock.advance(10);
      await log.record(entry({ actor: 'bob', action: 'plugin.install', target: 'hello' }));
      clock.advance(10);
      await log.record(
        entry({ actor: 'ann', action: 'plugin.install', target: 'billing', outcome: 'denied' }),
      );
      clock.advance(10);
      await log.record(entry({ actor: 'ann', action: 'plugin.install', target: 'hello' }));
      return log;
    }

    it('returns every record, oldest first, without a filter', async () => {
      const log = await seeded();
      expect((await log.query()).map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    });

    it('filters by actor', async () => {
      const log = await seeded();
      expect((await log.query({ actor: 'ann' })).map((r) => r.sequence)).toEqual([1, 3, 4]);
    });

    it('filters by action', async () => {
      const log = await seeded();
      expect((await log.query({ action: 'config.set' })).map((r) => r.sequence)).toEqual([1]);
    });

    it('filters by target', async () => {
      const log = await seeded();
      expect((await log.query({ target: 'hello' })).map((r) => r.sequence)).toEqual([2, 4]);
    });

    it('filters by since, including records at exactly that time', async () => {
      const log = await seeded();
      expect((await log.query({ since: 20 })).map((r) => r.sequence)).toEqual([3, 4]);
    });

    it('requires every given filter to match', async () => {
      const log = await seeded();
      const matches = await log.query({ actor: 'ann', action: 'plugin.install', target: 'hello' });
      expect(matches.map((r) => r.sequence)).toEqual([4]);
    });

    it('returns nothing when no record matches', async () => {
      const log = await seeded();
      await expect(log.query({ actor: 'nobody' })).resolves.toEqual([]);
    });

    it('limit returns the newest matches, oldest of them first', async () => {
      const log = await seeded();
      expect((await log.query({ limit: 2 })).map((r) => r.sequence)).toEqual([3, 4]);
    });

    it('limit applies after the filters', async () => {
      const log = await seeded();
      expect((await log.query({ actor: 'ann', limit: 2 })).map((r) => r.sequence)).toEqual([3, 4]);
    });

    it('limit larger than the matches returns all of them', async () => {
      const log = await seeded();
      expect(await log.query({ limit: 100 })).toHaveLength(4);
    });

    it('limit 0 returns nothing', async () => {
      const log = await seeded();
      await expect(log.query({ limit: 0 })).resolves.toEqual([]);
    });

    it('returns a new array, so changing it does not change the log', async () => {
      const log = await seeded();
      const result = (await log.query()) as unknown[];
      result.length = 0;
      expect(await log.query()).toHaveLength(4);
    });
  });

  describe('maxRecords', () => {
    it('drops the oldest records beyond maxRecords', async () => {
      const log = new MemoryAuditLog({ maxRecords: 2 });
      for (let i = 0; i < 5; i += 1) await log.record(entry());
      expect((await log.query()).map((r) => r.sequence)).toEqual([4, 5]);
    });

    it('keeps numbering after dropping records', async () => {
      const log = new MemoryAuditLog({ maxRecords: 1 });
      await log.record(entry());
      const record = await log.record(entry());
      expect(record.sequence).toBe(2);
    });

    it('keeps 10,000 records by default', async () => {
      const log = new MemoryAuditLog();
      for (let i = 0; i < 10_001; i += 1) await log.record(entry());
      const records = await log.query();
      expect(records).toHaveLength(10_000);
      expect(records[0]?.sequence).toBe(2);
    });
  });
});
