import type { AddressInfo } from 'node:net';
import { demoCampaigns } from '@scope/mock-server';
import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createState } from '../server.mjs';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** The example server on a free port; `loseAnswers` answers of POST /api/updates are lost after it applied them. */
async function start({ loseAnswers = 0, bodyLimitBytes = 1_048_576 } = {}) {
  const demo = demoCampaigns({ seed: 3, campaigns: 2, recipients: 30 });
  const state = createState(demo);
  const app = express();
  app.use((req, res, next) => {
    if (req.method === 'POST' && loseAnswers > 0) {
      loseAnswers--;
      res.json = () => {
        // applied, then the connection drops: the worker cannot tell
        req.socket.destroy();
        return res;
      };
    }
    next();
  });
  app.use(createApp(state, { bodyLimitBytes }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => server.close());
  return { demo, state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const post = (url: string, body: unknown, key = (body as { batchId?: string }).batchId ?? 'k') =>
  fetch(`${url}/api/updates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('examples/express-main-server', () => {
  it('applies every event of a real scheduler once, a batch whose answer was lost included', async () => {
    const { demo, state, url } = await start({ loseAnswers: 1 });
    const scheduler = new ServerUpdateScheduler({
      transport: createHttpTransport({ baseUrl: url, shape: 'bulk' }),
      minIntervalMs: 10,
      backoffBaseMs: 10,
      maxBackoffMs: 50,
    });
    for (const { campaign, recipients } of demo) {
      scheduler.registerCampaign(campaign.id, { total: recipients.length });
      for (const recipient of recipients) {
        await scheduler.record(campaign.id, { recipientId: recipient.id, outcome: 'sent', at: new Date() });
      }
      scheduler.setStatus(campaign.id, { state: 'completed', sent: 30, failed: 0, total: 30 });
    }
    const report = await scheduler.close({ timeoutMs: 20_000 });
    expect(report.complete).toBe(true);
    expect(scheduler.stats().retries).toBeGreaterThanOrEqual(1);
    expect(state.duplicateBatches).toBe(1); // the retry of the batch whose answer was lost
    for (const { campaign } of demo) {
      expect(state.events.get(campaign.id).size).toBe(30);
      expect(state.statuses.get(campaign.id)).toMatchObject({ state: 'completed', sent: 30 });
    }
  });

  it('serves the intake: ready campaigns and their recipients page by page', async () => {
    const { demo, url } = await start();
    const { campaigns } = await (await fetch(`${url}/api/campaigns?state=ready`)).json();
    expect(campaigns.map((c: { id: string }) => c.id)).toEqual(demo.map((d) => d.campaign.id));
    const first = await (await fetch(`${url}/api/campaigns/${campaigns[0].id}/recipients`)).json();
    expect(first).toMatchObject({ nextCursor: null });
    expect(first.recipients).toHaveLength(30);
    expect((await fetch(`${url}/api/campaigns/nope`)).status).toBe(404);
  });

  it('refuses a bad body 400 with the reason, an oversized one 413, a key reused with another body 422', async () => {
    const { demo, url } = await start({ bodyLimitBytes: 2_000 });
    const campaignId = demo[0]!.campaign.id;
    const bad = await post(url, {
      workerId: 'w',
      batchId: 'b1',
      campaigns: [{ campaignId, events: [{ outcome: 'ok' }] }],
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/campaigns\[0\]\.events\[0\]/);
    expect((await post(url, '{not json')).status).toBe(400);
    const big = { workerId: 'w', batchId: 'b2', campaigns: [{ campaignId, events: [], pad: 'x'.repeat(3_000) }] };
    expect((await post(url, big)).status).toBe(413);
    const body = { workerId: 'w', batchId: 'b3', campaigns: [{ campaignId, events: [] }] };
    expect(await (await post(url, body)).json()).toEqual({ accepted: 0, duplicate: false });
    expect(await (await post(url, body)).json()).toEqual({ accepted: 0, duplicate: true });
    expect((await post(url, { ...body, workerId: 'other' })).status).toBe(422);
    expect((await post(url, body, 'another-key')).status).toBe(400);
  });
});
