import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = '2026-11-28T10:00:00.000Z';

/** An outbox file holding `count` pending events of one campaign, closed cleanly. */
function fileWith(name: string, count: number): string {
  const path = join(dir, name);
  const store = new SqliteStore({ path });
  const padding = 'x'.repeat(200);
  for (let i = 0; i < count; i++) {
    store.appendEvent('c1', { eventId: `e${i}`, recipientId: `r${i}`, outcome: 'sent', at, error: padding }, () => 0);
  }
  store.close();
  return path;
}

describe('SqliteStore on a damaged file', () => {
  it('moves a file that is not a database aside, starts a fresh one, and says it could not count the loss', () => {
    const path = fileWith('garbage.db', 10);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    const store = new SqliteStore({ path });
    expect(store.damage).toMatchObject({ salvaged: { events: 0, batches: 0 }, lostEvents: undefined });
    expect(store.damage?.reason).toMatch(/not a database|malformed/);
    expect(existsSync(store.damage?.movedTo as string)).toBe(true);
    expect(store.size).toBe(0);
    // The fresh file works, and opens again clean.
    store.appendEvent('c1', { recipientId: 'r1', outcome: 'sent', at }, () => 0);
    store.close();
    const again = new SqliteStore({ path });
    expect([again.damage, again.size]).toEqual([undefined, 1]);
    again.close();
  });

  it('salvages what a truncated file still holds and counts exactly what it lost', () => {
    const path = fileWith('truncated.db', 2000);
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size / 2));
    const store = new SqliteStore({ path, integrityCheck: 'always' });
    const { damage } = store;
    expect(damage).toBeDefined();
    const salvaged = damage?.salvaged.events as number;
    expect(salvaged).toBe(store.size);
    expect(salvaged).toBeLessThan(2000);
    expect(damage?.lostEvents).toBe(2000 - salvaged);
    // What was salvaged is whole, in order, each event once (the pages lost may be anywhere in the file).
    const numbers = store.take('c1', Number.POSITIVE_INFINITY, false).events.map((event) => {
      expect(event.eventId?.slice(1)).toBe(event.recipientId.slice(1));
      return Number(event.recipientId.slice(1));
    });
    expect(numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number))).toBe(true);
    expect(readFileSync(damage?.movedTo as string).length).toBe(Math.floor(size / 2));
    store.close();
  });

  it('is not a crash loop: a file damaged again is moved aside again', () => {
    const path = fileWith('twice.db', 5);
    for (let round = 0; round < 2; round++) {
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.alloc(100, 0x00), 0, 100, 0);
      const store = new SqliteStore({ path });
      expect(store.damage).toBeDefined();
      store.appendEvent('c1', { recipientId: 'r1', outcome: 'sent', at }, () => 0);
      store.close();
    }
  });
});
