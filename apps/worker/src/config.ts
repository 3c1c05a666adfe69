import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { check, formatIssue } from '@scope/contract';
import { checkFaults, type FaultOptions } from '@scope/mock-server';
import { z } from 'zod';
import { configDefaults } from './config-defaults.js';
import { ConfigError } from './errors/ConfigError.js';

/** The worker's configuration, after defaults, from flags, environment and an optional file. */
export interface WorkerConfig {
  /** The main server; undefined runs the embedded msw mock in-process. */
  readonly serverUrl: string | undefined;
  readonly shape: 'bulk' | 'legacy';
  /** The SMTP server; undefined runs the embedded SMTP sink on loopback. */
  readonly smtpUrl: string | undefined;
  readonly minIntervalMs: number;
  readonly maxConcurrent: number;
  /** Local campaign definitions to run instead of the server's ready campaigns. */
  readonly campaignsFile: string | undefined;
  /** Faults of the embedded mock. */
  readonly faults: FaultOptions;
  /** How long to deliver what is left at the end; undefined: enough for every campaign's last updates, spaced. */
  readonly closeTimeoutMs: number | undefined;
  readonly dataDir: string;
  readonly json: boolean;
  readonly progress: 'auto' | 'live' | 'plain' | 'off';
  /** Fleet mode: the Redis the workers of a fleet share; undefined runs this worker alone. */
  readonly redisUrl: string | undefined;
  /** Requests per window to the main server for the whole fleet (fleet mode). */
  readonly fleetBudget: number;
  /** The fleet budget's sliding window, in ms (every member of a fleet must use the same). */
  readonly fleetWindowMs: number;
  /** Namespaces the fleet's Redis keys (several fleets on one Redis). */
  readonly fleetName: string;
  /** Above this share of failed sends among a campaign's last `failureWindow`, the campaign is paused (1: never). */
  readonly maxFailureRate: number;
  readonly failureWindow: number;
}

const url = z.url({ protocol: /^(https?|smtps?)$/ });
/** Text that must match `test`; the message keeps the value as given. */
const textThat = (test: (text: string) => boolean, expected: string) =>
  z.unknown().transform((value, ctx) => {
    if (typeof value === 'string' && test(value)) return value;
    ctx.addIssue({ code: 'custom', message: expected, input: value });
    return z.NEVER;
  });
const redisUrl = textThat(
  (text) => /^rediss?:\/\//.test(text) && URL.canParse(text),
  'expected a redis:// or rediss:// URL',
);
const fleetName = textThat(
  (text) => /^[A-Za-z0-9._:-]{1,100}$/.test(text),
  'expected 1-100 letters, digits, ".", "_", "-" or ":"',
);
const faultsValue = z.string().transform((text, ctx): FaultOptions => {
  try {
    return checkFaults(parseFaults(text));
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, params: { namesValue: true } });
    return z.NEVER;
  }
});

/**
 * A whole number from a flag, a variable (text, decimal digits only: `0x10` or `1e3` is refused, not read as 16 or
 * 1000) or a file (number); the message keeps the value as given.
 */
const integer = (min: number) =>
  z.unknown().transform((value, ctx) => {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\d+$/.test(value.trim())
          ? Number(value)
          : Number.NaN;
    if (Number.isSafeInteger(n) && n >= min) return n;
    ctx.addIssue({ code: 'custom', message: `expected a whole number >= ${min} in decimal digits`, input: value });
    return z.NEVER;
  });

/** A share from 0 to 1, in decimal (`0.5`, `1`), from a flag, a variable or a file. */
const share = z.unknown().transform((value, ctx) => {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : Number.NaN;
  if (n >= 0 && n <= 1) return n;
  ctx.addIssue({ code: 'custom', message: 'expected a share from 0 to 1 in decimal digits', input: value });
  return z.NEVER;
});

interface Field {
  readonly key: keyof WorkerConfig;
  readonly flag: string;
  readonly env: string;
  readonly schema: z.ZodType;
}

const fields: readonly Field[] = [
  { key: 'serverUrl', flag: '--server-url', env: 'WORKER_SERVER_URL', schema: url },
  { key: 'shape', flag: '--shape', env: 'WORKER_SHAPE', schema: z.enum(['bulk', 'legacy']) },
  { key: 'smtpUrl', flag: '--smtp-url', env: 'WORKER_SMTP_URL', schema: url },
  { key: 'minIntervalMs', flag: '--min-interval', env: 'WORKER_MIN_INTERVAL', schema: integer(0) },
  { key: 'maxConcurrent', flag: '--max-concurrent', env: 'WORKER_MAX_CONCURRENT', schema: integer(1) },
  { key: 'campaignsFile', flag: '--campaigns', env: 'WORKER_CAMPAIGNS', schema: z.string().min(1) },
  { key: 'faults', flag: '--faults', env: 'WORKER_FAULTS', schema: faultsValue },
  { key: 'closeTimeoutMs', flag: '--close-timeout', env: 'WORKER_CLOSE_TIMEOUT', schema: integer(0) },
  { key: 'dataDir', flag: '--data-dir', env: 'WORKER_DATA_DIR', schema: z.string().min(1) },
  { key: 'json', flag: '--json', env: 'WORKER_JSON', schema: z.union([z.boolean(), z.stringbool()]) },
  { key: 'progress', flag: '--progress', env: 'WORKER_PROGRESS', schema: z.enum(['auto', 'live', 'plain', 'off']) },
  { key: 'redisUrl', flag: '--redis-url', env: 'WORKER_REDIS_URL', schema: redisUrl },
  { key: 'fleetBudget', flag: '--fleet-budget', env: 'WORKER_FLEET_BUDGET', schema: integer(1) },
  { key: 'fleetWindowMs', flag: '--fleet-window', env: 'WORKER_FLEET_WINDOW', schema: integer(1) },
  { key: 'fleetName', flag: '--fleet-name', env: 'WORKER_FLEET_NAME', schema: fleetName },
  { key: 'maxFailureRate', flag: '--max-failure-rate', env: 'WORKER_MAX_FAILURE_RATE', schema: share },
  { key: 'failureWindow', flag: '--failure-window', env: 'WORKER_FAILURE_WINDOW', schema: integer(1) },
];

/**
 * Merges defaults < config file < environment < flags, checking each value where it came from.
 *
 * @throws ConfigError naming the flag, variable or file field of the first bad value.
 */
export function loadConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  defaults: { dataDir: string },
): WorkerConfig {
  const merged: Record<string, unknown> = { ...configDefaults, dataDir: defaults.dataDir };
  const configPath = (flags.config as string | undefined) ?? env.WORKER_CONFIG;
  if (configPath !== undefined) {
    for (const [key, value] of Object.entries(readConfigFile(configPath))) {
      const field = fields.find((f) => f.key === key);
      if (field === undefined) {
        throw new ConfigError(`${configPath}: unknown field "${key}"; known: ${fields.map((f) => f.key).join(', ')}`);
      }
      // A file may give faults as an object; the other sources give text.
      const raw = key === 'faults' && typeof value === 'object' ? JSON.stringify(value) : value;
      merged[key] = parseField(field, raw, `${configPath} ${key}`);
    }
  }
  for (const field of fields) {
    const fromEnv = env[field.env];
    if (fromEnv !== undefined && fromEnv !== '') merged[field.key] = parseField(field, fromEnv, field.env);
    const fromFlag = flags[flagKey(field.flag)];
    if (fromFlag !== undefined) merged[field.key] = parseField(field, fromFlag, field.flag);
  }
  return merged as unknown as WorkerConfig;
}

function parseField(field: Field, value: unknown, source: string): unknown {
  const result = field.schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  throw new ConfigError(`${source}: ${formatIssue({ ...issue, path: [] }).replace(/^\(root\): /, '')}`);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--config: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // JSON reads `1e3` as 1000, and the parsed value cannot tell: the text is looked at for such a number.
  const exponent = /"((?:[^"\\]|\\.)*)"\s*:\s*(-?[\d.]+[eE][+-]?\d+)/.exec(text);
  if (exponent) throw new ConfigError(`${path} ${exponent[1]}: expected decimal digits, got ${exponent[2]}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const checked = check(z.record(z.string(), z.unknown()), value);
  if (!checked.ok) throw new ConfigError(`${path}: expected a JSON object`);
  return checked.value;
}

/** commander's key of a flag: `--min-interval` → `minInterval`. */
function flagKey(flag: string): string {
  return flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Faults as JSON (`{"outages":[{"fromMs":20000,"toMs":40000}]}`) or as a short list:
 * `outage=20-40,latency=100-800,error-rate=0.1,throttle-rate=0.2,retry-after=10,hang-rate=0.01` (seconds for windows).
 */
export function parseFaults(text: string): FaultOptions {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed) as FaultOptions;
  const faults: Record<string, unknown> = {};
  const outages: Array<{ fromMs: number; toMs: number }> = [];
  for (const part of trimmed.split(',').filter(Boolean)) {
    const [name, value = ''] = part.split('=').map((s) => s.trim());
    const range = /^(\d+)-(\d+)$/.exec(value);
    // Decimal digits only: `0x10` or `1e3` is refused, not read as 16 or 1000.
    const number = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (name !== 'outage' && !range && !Number.isFinite(number))
      throw new Error(`${name}: expected a number, got "${value}"`);
    switch (name) {
      case 'outage':
        if (!range) throw new Error(`outage: expected FROM-TO seconds, got "${value}"`);
        outages.push({ fromMs: Number(range[1]) * 1000, toMs: Number(range[2]) * 1000 });
        break;
      case 'latency':
        faults.latencyMs = range ? { min: Number(range[1]), max: Number(range[2]) } : number;
        break;
      case 'error-rate':
        faults.errorRate = number;
        break;
      case 'throttle-rate':
        faults.throttleRate = number;
        break;
      case 'retry-after':
        faults.retryAfterSeconds = number;
        break;
      case 'hang-rate':
        faults.hangRate = number;
        break;
      default:
        throw new Error(
          `unknown fault "${name}"; known: outage, latency, error-rate, throttle-rate, retry-after, hang-rate`,
        );
    }
  }
  if (outages.length > 0) faults.outages = outages;
  return faults as FaultOptions;
}
