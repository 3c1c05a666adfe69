import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { fleetRedisOptions } from '../src/index.js';

/** The Redis the tests use: `REDIS_URL`, or the local one CI starts. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fleet name no other test run uses, so runs never collide. */
export function uniqueName(label: string): string {
  return `test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Opens `count` separate connections, as `count` workers would have. */
export function connections(count: number, url = REDIS_URL): Redis[] {
  return Array.from({ length: count }, () => new Redis(url, { ...fleetRedisOptions }));
}

/** Deletes every key of a fleet (`fleet:{<name>}:*`). */
export async function removeFleet(redis: Redis, name: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `fleet:{${name}}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The most grants (times, any order) that fall in one sliding window `[t, t + windowMs)`. */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a Redis of its own on `port` (nothing kept on disk), for the tests that stop and restart one. */
export function startRedisServer(port: number): void {
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--pidfile',
    `/tmp/fleet-test-redis-${port}.pid`,
    '--logfile',
    '',
  ]);
}

/** Stops the Redis started by {@link startRedisServer} at once, without saving. */
export function stopRedisServer(port: number): void {
  try {
    execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
  } catch {
    // Already gone: redis-cli reports the closed connection as an error.
  }
}
