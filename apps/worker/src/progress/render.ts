import type { CampaignProgress } from '../campaign-runner.js';
import type { ServerView } from '../server-view.js';

const pad = (text: string | number, width: number) => String(text).padEnd(width);
const padStart = (text: string | number, width: number) => String(text).padStart(width);

/** `1m05s` */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * One line per campaign (done/total, failures, rate, ETA, state, and why the worker paused it) and one for the
 * server requests so far, with their failures and retries as they happen.
 */
export function progressLines(campaigns: readonly CampaignProgress[], server: ServerView, now: number): string[] {
  const width = Math.max(8, ...campaigns.map((c) => c.name.length));
  const lines = campaigns.map((c) => {
    const done = c.sent + c.failed + c.bounced;
    const elapsed = c.startedAt === undefined ? 0 : (c.endedAt ?? now) - c.startedAt;
    const rate = elapsed > 1000 ? (done / elapsed) * 60_000 : 0;
    const left = c.total - done;
    const eta = c.state === 'running' && left > 0 ? duration((left / c.emailsPerMinute) * 60_000) : '-';
    const bar = '#'.repeat(Math.round((done / Math.max(1, c.total)) * 20)).padEnd(20, '.');
    const failed = c.failed > 0 ? `  ${c.failed} failed` : '';
    const why = c.pausedBecause === undefined ? '' : ` (${c.pausedBecause})`;
    return `${pad(c.name, width)}  [${bar}] ${padStart(done, 5)}/${pad(c.total, 5)} ${padStart(rate.toFixed(0), 4)}/min  eta ${pad(eta, 6)} ${c.state}${why}${failed}`;
  });
  const endpoints = Object.entries(server.byEndpoint)
    .map(([endpoint, count]) => `${endpoint} ${count}`)
    .join(', ');
  const failures = server.failures > 0 ? `, ${server.failures} failed` : '';
  const breaker = server.breaker === 'closed' ? '' : `, breaker ${server.breaker}`;
  const problem = server.lastProblem === null ? '' : `; last: ${server.lastProblem}`;
  lines.push(
    `server: ${server.requests} requests${endpoints ? ` (${endpoints})` : ''}${failures}, retries ${server.retries}${breaker}${problem}`,
  );
  return lines;
}
