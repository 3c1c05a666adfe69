export type { OutboxDatabase, OutboxStatement } from './database.js';
export { isStoreLockedError, StoreLockedError } from './errors/StoreLockedError.js';
export type { StoreDamage } from './open.js';
export type { SqliteStoreOptions } from './options.js';
export { SqliteStore } from './SqliteStore.js';
