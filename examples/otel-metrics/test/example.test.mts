import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../index.mjs', import.meta.url));

/** The value of one series in a scrape section, as Prometheus text shows it. */
function seriesValue(section: string, series: string): number | undefined {
  const line = section.split('\n').find((l) => l.startsWith(`${series}{`) || l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('examples/otel-metrics', () => {
  // It runs in real time (a few seconds); only what is settled once flush() resolved is asserted.
  it('prints a scrape during the outage and one after everything was delivered', { timeout: 120_000 }, async () => {
    const { stdout } = await run(process.execPath, [example], { env: { ...process.env, PORT: '0' }, timeout: 100_000 });
    const [, during = '', after = ''] = stdout.split(/^--- /m);
    expect(during).toMatch(/^during the outage: GET http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(during).toContain('scheduler_requests_total{outcome="http_error",http_response_status_code="503"');
    expect(during).toContain('scheduler_campaign_staleness{campaign_id="cmp-7-001"');
    expect(after).toMatch(/^after flush\(\)/);
    expect(seriesValue(after, 'scheduler_events_delivered_total')).toBe(40);
    expect(seriesValue(after, 'scheduler_events_dead_lettered_total')).toBe(0);
    expect(seriesValue(after, 'scheduler_events_pending')).toBe(0);
    expect(seriesValue(after, 'scheduler_events_unacknowledged')).toBe(0);
    expect(seriesValue(after, 'scheduler_staleness')).toBe(0);
    expect(after).toContain('scheduler_breaker_state{state="closed",otel_scope_name="otel-metrics-example"} 1');
    expect(after).toMatch(/scheduler_requests_total\{outcome="success",http_response_status_code="200",[^}]*\} [1-9]/);
    expect(seriesValue(after, 'scheduler_retries_total')).toBeGreaterThan(0);
    expect(stdout).toMatch(/server: \d+ requests, 40 events applied/);
  });
});
