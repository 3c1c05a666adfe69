import { MemoryStore } from '../src/index.js';
import { describeSchedulerRestart, describeStoreContract } from './store-contract.js';

const memory = { open: () => new MemoryStore(), reopen: <T>(store: T) => store, durable: false };
describeStoreContract('MemoryStore', memory);
describeSchedulerRestart('MemoryStore', memory);
