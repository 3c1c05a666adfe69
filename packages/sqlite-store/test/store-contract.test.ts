import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PendingStore } from '@scope/scheduler';
import { afterAll } from 'vitest';
import { describeSchedulerRestart, describeStoreContract } from '../../scheduler/test/store-contract.js';
import { SqliteStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const paths = new WeakMap<object, string>();

for (const synchronous of ['NORMAL', 'FULL'] as const) {
  const subject = {
    open: () => {
      const path = join(dir, `outbox-${++files}.db`);
      const store = new SqliteStore({ path, synchronous });
      paths.set(store, path);
      return store;
    },
    reopen: (store: PendingStore) => {
      const path = paths.get(store) as string;
      (store as SqliteStore).close();
      const again = new SqliteStore({ path, synchronous });
      paths.set(again, path);
      return again;
    },
    durable: true,
    dispose: (store: PendingStore) => (store as SqliteStore).close(),
  };
  describeStoreContract(`SqliteStore (${synchronous})`, subject);
  describeSchedulerRestart(`SqliteStore (${synchronous})`, subject);
}
