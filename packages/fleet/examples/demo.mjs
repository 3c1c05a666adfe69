// A local fleet demo: N worker processes (examples/worker.mjs) share one fleet budget and the campaigns of one mock
// main server over HTTP, through the local Redis; at the end, a fleet summary as the server saw it.
//
//   pnpm --filter @scope/fleet build && pnpm --filter @scope/fleet demo -- --workers 4 --budget 3 --kill-one
//
// Options: --workers <n> (4), --budget <K requests per window for the whole fleet> (3), --window-ms (15000),
// --campaigns <n> (8), --minutes <length of each campaign> (1), --redis-url (redis://127.0.0.1:6379),
// --kill-one (kill -9 one worker after 20 s: its campaigns are taken over).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMockServer, demoCampaigns, listenHttp } from '@scope/mock-server';
import { Redis } from 'ioredis';
import { createCampaignQueue, fleetKeys } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '4' },
    budget: { type: 'string', default: '3' },
    'window-ms': { type: 'string', default: '15000' },
    campaigns: { type: 'string', default: '8' },
    minutes: { type: 'string', default: '1' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    'kill-one': { type: 'boolean', default: false },
  },
});
const whole = (name, min) => {
  const value = Number(values[name]);
  if (!Number.isSafeInteger(value) || value < min) {
    console.error(`demo: expected --${name} to be a whole number >= ${min}, got "${values[name]}"`);
    process.exit(2);
  }
  return value;
};
const workers = whole('workers', 1);
const budget = whole('budget', 1);
const windowMs = whole('window-ms', 1);
const minutes = whole('minutes', 1);
const name = `demo-${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const campaigns = demoCampaigns({ seed: 42, campaigns: whole('campaigns', 1), recipients: (rate) => rate * minutes });
const mock = createMockServer({ campaigns });
const server = await listenHttp(mock);
const redis = new Redis(values['redis-url'], { maxRetriesPerRequest: 1 });
const queue = createCampaignQueue({ redis, name });
console.log(
  `fleet "${name}": ${workers} workers, ${budget} requests per ${windowMs / 1000} s window, mock server ${server.url}`,
);

const script = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const owners = new Map();
let inDoubt = 0;
const children = Array.from({ length: workers }, (_, i) => {
  const id = `worker-${i + 1}`;
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      WORKER_ID: id,
      REDIS_URL: values['redis-url'],
      FLEET_NAME: name,
      FLEET_BUDGET: String(budget),
      WINDOW_MS: String(windowMs),
      SERVER_URL: server.url,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let rest = '';
  child.ready = new Promise((resolve) => {
    child.markReady = resolve;
  });
  child.stdout.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const text of lines.filter(Boolean)) {
      const line = JSON.parse(text);
      if (line.ready) child.markReady();
      if (line.inDoubt) inDoubt++;
      if (line.took) owners.set(line.took, [...(owners.get(line.took) ?? []), `${line.worker} (epoch ${line.epoch})`]);
      if (line.took || line.lost || line.inDoubt || line.mode || line.deadletter) console.log(' ', text);
    }
  });
  return child;
});
// Every worker is a member before the campaigns come, so each takes its fair share.
await Promise.all(children.map((child) => child.ready));
await sleep(2_000);
for (const { campaign, recipients } of campaigns) {
  await queue.offer(campaign.id, {
    recipients: recipients.map((r) => r.id),
    emailsPerMinute: campaign.emailsPerMinute,
  });
}
const started = Date.now();
let killed;
for (;;) {
  await sleep(1_000);
  if (values['kill-one'] && !killed && Date.now() - started > 20_000) {
    killed = children[0];
    console.log('  kill -9 worker-1');
    killed.kill('SIGKILL');
  }
  const counts = await queue.counts();
  if (counts.completed + counts.failed >= campaigns.length) break;
}
await Promise.all(
  children
    .filter((child) => child !== killed)
    .map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'))),
);

const log = mock.state.log.filter((entry) => ['bulk', 'events', 'status'].includes(entry.endpoint));
const times = log.map((entry) => entry.at).sort((a, b) => a - b);
let peak = 0;
for (let i = 0, j = 0; i < times.length; i++) {
  while (times[i] - times[j] >= windowMs) j++;
  peak = Math.max(peak, i - j + 1);
}
const stats = await redis.hgetall(fleetKeys(name).stats);
const summary = mock.state.summary(['bulk', 'events', 'status']);
console.log('\nFleet summary');
console.log(`  requests: ${log.length}; peak in any ${windowMs / 1000} s window: ${peak} (budget ${budget})`);
const planned = campaigns.reduce((n, c) => n + c.recipients.length, 0);
console.log(
  `  events applied: ${summary.eventsApplied} of ${planned} recipients; duplicates: ${summary.duplicateEvents}; in doubt: ${inDoubt}; fenced updates (412): ${summary.fencedUpdates}`,
);
if (killed) {
  console.log(
    `  not delivered: ${planned - summary.eventsApplied - inDoubt} events the killed worker held in memory (a durable outbox keeps them)`,
  );
}
console.log('  requests per worker (grants of the fleet budget):');
for (const [field, value] of Object.entries(stats).filter(([field]) => field.startsWith('requests:'))) {
  console.log(`    ${field.slice('requests:'.length)}: ${value}`);
}
console.log('  per campaign: owners, events applied / recipients, requests carrying it');
for (const { campaign, recipients } of campaigns) {
  const requests = log.filter((entry) => entry.campaigns.includes(campaign.id)).length;
  const applied = mock.state.events.get(campaign.id)?.length ?? 0;
  console.log(
    `    ${campaign.id}: ${(owners.get(campaign.id) ?? []).join(' → ')}; ${applied}/${recipients.length}; ${requests}`,
  );
}

await queue.close();
let cursor = '0';
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `fleet:{${name}}:*`, 'COUNT', 1000);
  if (keys.length > 0) await redis.del(...keys);
  cursor = next;
} while (cursor !== '0');
redis.disconnect();
await server.close();
