import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTransform } from '../src/run-transform.js';
import { schedulerMigration } from '../src/transforms/scheduler-migration/index.js';

// The helpers live in another module, on endpoints of their own: the migration reads them there (ts-morph) and
// builds the transport from them.
function project(api: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'endpoints-'));
  writeFileSync(join(dir, 'api.js'), api);
  const legacy = readFileSync(new URL('../../apps/legacy-worker/src/campaign.js', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'campaign.js'), legacy);
  return join(dir, 'campaign.js');
}

describe('scheduler-migration: the transport from what the legacy helpers used', () => {
  it('takes their URL paths and constant headers', () => {
    const file = project(`
      async function send(url, method, body, headers) { return fetch(url, { method, headers, body: JSON.stringify(body) }); }
      async function postEvents(serverUrl, campaignId, events) {
        return send(\`\${serverUrl}/v2/campaign/\${campaignId}/events-batch\`, 'POST', { events }, { headers: { 'x-worker': 'w7' } });
      }
      async function updateStatus(serverUrl, campaignId, status) {
        return send(\`\${serverUrl}/v2/campaign/\${campaignId}/status-report\`, 'PUT', status);
      }
      async function fetchRecipients() { return []; }
      module.exports = { postEvents, updateStatus, fetchRecipients };
    `);
    const outcome = runTransform(schedulerMigration, file, readFileSync(file, 'utf8'));
    expect(outcome.kind).toBe('changed');
    const output = outcome.kind === 'changed' ? outcome.output : '';
    expect(output).toContain(
      "createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy', urls: { events: (campaignId) => `/v2/campaign/${campaignId}/events-batch`, status: (campaignId) => `/v2/campaign/${campaignId}/status-report` }, headers: { 'x-worker': 'w7' } })",
    );
  });

  it('keeps the default endpoints, and says so, when a helper cannot be read', () => {
    const file = project('module.exports = require("./elsewhere");\n');
    const outcome = runTransform(schedulerMigration, file, readFileSync(file, 'utf8'));
    expect(outcome).toMatchObject({
      kind: 'changed',
      notes: [
        'postEvents() is not defined in ./api: the default events endpoint is assumed',
        'updateStatus() is not defined in ./api: the default status endpoint is assumed',
      ],
    });
    expect(outcome.kind === 'changed' && outcome.output).toContain(
      "createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' })",
    );
  });

  it('takes the paths of direct calls from their URLs', () => {
    const source = `
async function processCampaign(campaign, deps) {
  let events = [];
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await fetch(deps.base + '/v3/c/' + campaign.id + '/events', { method: 'POST', body: JSON.stringify({ events }) });
      events = [];
    }
  }
  await fetch(\`\${deps.base}/v3/c/\${campaign.id}/status\`, { method: 'PUT', body: JSON.stringify({ state: 'completed', sent: 1, failed: 0, total: 1 }) });
}
module.exports = { processCampaign };
`;
    const outcome = runTransform(schedulerMigration, 'worker.js', source);
    expect(outcome.kind === 'changed' && outcome.output).toContain(
      "createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy', urls: { events: (campaignId) => `/v3/c/${campaignId}/events`, status: (campaignId) => `/v3/c/${campaignId}/status` } })",
    );
    expect(outcome.kind === 'changed' && outcome.output).toContain('const scheduler = updateScheduler(deps.base);');
  });
});
