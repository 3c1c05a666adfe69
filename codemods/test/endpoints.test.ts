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
        'postEvents() is not defined in ./api: the default events endpoint (/api/campaigns/${campaignId}/events) is assumed',
        'updateStatus() is not defined in ./api: the default status endpoint (/api/campaigns/${campaignId}/status) is assumed',
      ],
    });
    const output = outcome.kind === 'changed' ? outcome.output : '';
    expect(output).toContain("createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' })");
    // One TODO in the code, listing what to check, right above the transport.
    expect(output.match(/TODO\(scheduler-migration\)/g)).toHaveLength(1);
    expect(output).toContain(
      "  // TODO(scheduler-migration): check the transport's endpoints; what the legacy code used could not be read:\n" +
        '  //   - postEvents() is not defined in ./api: the default events endpoint (/api/campaigns/${campaignId}/events) is assumed\n',
    );
  });

  it('follows helpers called through their module, defined as exports.name, by kind whatever their path says', () => {
    const file = project(`
      exports.postEvents = async (base, campaignId, events) =>
        fetch(\`\${base}/v2/c/\${campaignId}/outcomes\`, { method: 'POST', headers: { 'x-key': 'k1' }, body: JSON.stringify({ events }) });
      exports.updateStatus = async function (base, campaignId, status) {
        return fetch(\`\${base}/v2/c/\${campaignId}/state\`, { method: 'PUT', body: JSON.stringify(status) });
      };
      exports.fetchRecipients = async () => [];
    `);
    const source = readFileSync(file, 'utf8')
      .replace(
        "const { postEvents, updateStatus, fetchRecipients } = require('./api');",
        "const api = require('./api');",
      )
      .replaceAll(/\b(postEvents|updateStatus|fetchRecipients)\(/g, 'api.$1(');
    const outcome = runTransform(schedulerMigration, file, source);
    expect(outcome).toMatchObject({ kind: 'changed', notes: [] });
    const output = outcome.kind === 'changed' ? outcome.output : '';
    expect(output).toContain(
      "urls: { events: (campaignId) => `/v2/c/${campaignId}/outcomes`, status: (campaignId) => `/v2/c/${campaignId}/state` }, headers: { 'x-key': 'k1' }",
    );
    expect(output).not.toMatch(/api\.(postEvents|updateStatus)/);
  });

  it('resolves a TypeScript import of ./api.js to api.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'endpoints-ts-'));
    writeFileSync(
      join(dir, 'api.ts'),
      'export async function postEvents(base: string, campaignId: string, events: unknown[]) {\n' +
        '  return fetch(`${base}/v9/${campaignId}/events`, { method: "POST", body: JSON.stringify({ events }) });\n}\n',
    );
    const source = [
      "import { postEvents } from './api.js';",
      'export async function processCampaign(campaign: { id: string; emailsPerMinute: number; recipients: string[] }, base: string) {',
      '  const buffer: unknown[] = [];',
      '  for (const recipient of campaign.recipients) {',
      "    buffer.push({ recipientId: recipient, outcome: 'sent', at: new Date().toISOString() });",
      '  }',
      '  await postEvents(base, campaign.id, buffer);',
      '}',
      '',
    ].join('\n');
    const outcome = runTransform(schedulerMigration, join(dir, 'campaign.ts'), source);
    expect(outcome).toMatchObject({ kind: 'changed', notes: [] });
    expect(outcome.kind === 'changed' && outcome.output).toContain(
      'urls: { events: (campaignId) => `/v9/${campaignId}/events` }',
    );
  });

  it('marks a helper URL it cannot read with a TODO, and keeps its headers', () => {
    const file = project(`
      const paths = { events: '/e' };
      async function postEvents(base, campaignId, events) {
        return fetch(base + paths.events + '?c=' + campaignId, { method: 'POST', headers: { authorization: 'Bearer t' }, body: JSON.stringify({ events }) });
      }
      async function updateStatus() {}
      async function fetchRecipients() { return []; }
      module.exports = { postEvents, updateStatus, fetchRecipients };
    `);
    const outcome = runTransform(schedulerMigration, file, readFileSync(file, 'utf8'));
    const output = outcome.kind === 'changed' ? outcome.output : '';
    expect(outcome.kind === 'changed' && outcome.notes).toContain(
      'postEvents() builds no URL that names the campaign: the default events endpoint (/api/campaigns/${campaignId}/events) is assumed',
    );
    expect(output).toContain("headers: { authorization: 'Bearer t' }");
    expect(output).toContain('//   - postEvents() builds no URL that names the campaign');
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
