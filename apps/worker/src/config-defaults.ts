import type { WorkerConfig } from './config.js';

/**
 * Every option's default but the data folder's (which depends on where the worker is installed). A file of its own
 * so `--help` shows them without loading the rest of the worker.
 */
export const configDefaults: Omit<WorkerConfig, 'dataDir'> = {
  serverUrl: undefined,
  shape: 'bulk',
  smtpUrl: undefined,
  minIntervalMs: 15_000,
  maxConcurrent: 2,
  campaignsFile: undefined,
  faults: {},
  closeTimeoutMs: undefined,
  json: false,
  progress: 'auto',
  maxFailureRate: 0.5,
  failureWindow: 10,
  redisUrl: undefined,
  fleetBudget: 4,
  fleetWindowMs: 15_000,
  fleetName: 'turtle-workers',
};
