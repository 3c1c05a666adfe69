import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreLockedError, SqliteStore } from '../src/index.js';

// These run the built package (dist/, built by turbo before `test`) in child processes killed with SIGKILL.
const recorder = fileURLToPath(new URL('./fixtures/recorder.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the recorder; resolves once it printed a line matching `until`, with the last `durable` count seen. */
function startRecorder(path: string, mode: 'record' | 'hold') {
  const child = spawn(process.execPath, [recorder, path, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let durable = 0;
  let lines = 0;
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  const seen = (predicate: (durable: number, lines: number) => boolean) =>
    new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line === '') continue;
          lines++;
          const [word, count] = line.split(' ');
          if (word === 'durable') durable = Number(count);
        }
        if (predicate(durable, lines)) {
          child.stdout.off('data', onData);
          resolve(durable);
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`recorder exited (${code}) before it got there: ${errors}`)));
    });
  return { child, seen, durableSoFar: () => durable };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('SqliteStore across kill -9', () => {
  it('keeps every event it said was durable, in order, once, over 10 kills at different moments', async () => {
    const path = join(dir, 'kills.db');
    for (let trial = 0; trial < 10; trial++) {
      const run = startRecorder(path, 'record');
      // Kill at a different depth into the run each time: after 1 to 10 durable batches of 200.
      const reported = await run.seen((durable, lines) => lines > trial + 1 && durable > 0);
      await killed(run.child);
      const store = new SqliteStore({ path });
      const ids = [0, 1, 2].flatMap((c) => store.take(`c${c}`, Number.POSITIVE_INFINITY, false).events);
      const numbers = ids.map((event) => Number(event.recipientId.slice(1))).sort((a, b) => a - b);
      // Nothing said durable is missing; nothing is there twice; what is there has no holes.
      expect(numbers.length).toBeGreaterThanOrEqual(Math.max(reported, run.durableSoFar()));
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
      store.close();
    }
  }, 120_000);

  it('refuses a second process on the same file, and opens it at once after the first is killed', async () => {
    const path = join(dir, 'locked.db');
    const holder = startRecorder(path, 'hold');
    await holder.seen((_, lines) => lines >= 1);
    let refused: unknown;
    try {
      new SqliteStore({ path });
    } catch (error) {
      refused = error;
    }
    expect(isStoreLockedError(refused)).toBe(true);
    expect(String((refused as Error).message)).toContain(`${path} is in use by another process`);
    await killed(holder.child);
    const store = new SqliteStore({ path });
    expect(store.damage).toBeUndefined();
    store.close();
  }, 60_000);
});
