import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerConfig } from '../src/config.js';

/** A temporary folder for a test's data and files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'worker-test-'));
}

/** A loopback port nothing listens on: taken, then given back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Writes local campaign definitions: `rates[i]` emails per minute and `sizes[i]` recipients each; every 7th
 * recipient of the first campaign is an address the embedded sink bounces.
 */
export function writeCampaigns(dir: string, rates: number[], sizes: number[]): string {
  const campaigns = rates.map((rate, c) => ({
    id: `c${c + 1}`,
    emailsPerMinute: rate,
    recipients: Array.from({ length: sizes[c] ?? 10 }, (_, r) => ({
      id: `c${c + 1}-r${r + 1}`,
      email: c === 0 && r % 7 === 6 ? `bounce-${c + 1}-${r + 1}@example.test` : `user-${c + 1}-${r + 1}@example.test`,
    })),
  }));
  const file = join(dir, 'campaigns.json');
  writeFileSync(file, JSON.stringify({ campaigns }));
  return file;
}

/** A configuration for an in-process run against the embedded mock and SMTP sink. */
export function embeddedConfig(overrides: Partial<WorkerConfig>): WorkerConfig {
  return {
    serverUrl: undefined,
    shape: 'bulk',
    smtpUrl: undefined,
    minIntervalMs: 300,
    maxConcurrent: 2,
    campaignsFile: undefined,
    faults: {},
    closeTimeoutMs: 30_000,
    dataDir: tempDir(),
    json: false,
    progress: 'off',
    redisUrl: undefined,
    fleetBudget: 4,
    fleetWindowMs: 15_000,
    fleetName: 'turtle-workers',
    maxFailureRate: 0.5,
    failureWindow: 10,
    ...overrides,
  };
}
