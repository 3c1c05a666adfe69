// A minimal main server on Express: the contract's bulk endpoint (POST /api/updates) and the work intake, with the
// state in memory. What it shows is how a server applies each update once: a batch once per batch id (its
// Idempotency-Key), an event once per event id, a status only when its seq is newer.
import { createHash } from 'node:crypto';
import { bulkUpdateBody, check } from '@scope/contract';
import express from 'express';

/** The server's state: campaigns and recipients it serves, and what it applied. */
export function createState(demo) {
  return {
    campaigns: new Map(demo.map(({ campaign, recipients }) => [campaign.id, { campaign, recipients }])),
    batches: new Map(), // batchId -> fingerprint of the body applied under it
    events: new Map(), // campaignId -> Map(eventId or a counter -> event)
    statuses: new Map(), // campaignId -> newest status
    duplicateBatches: 0,
    deduplicatedEvents: 0,
  };
}

const refuse = (res, status, error) => res.status(status).json({ error });

/** The Express app of a main server holding `state`; bodies over `bodyLimitBytes` are refused 413. */
export function createApp(state, { bodyLimitBytes = 1_048_576, pageSize = 100 } = {}) {
  const app = express();
  app.get('/api/campaigns', (req, res) => {
    const all = [...state.campaigns.values()].map(({ campaign }) => campaign);
    res.json({ campaigns: all.filter((campaign) => !req.query.state || campaign.state === req.query.state) });
  });
  app.get('/api/campaigns/:id', (req, res) => {
    const found = state.campaigns.get(req.params.id);
    found ? res.json(found.campaign) : refuse(res, 404, `campaign "${req.params.id}" is unknown`);
  });
  app.get('/api/campaigns/:id/recipients', (req, res) => {
    const found = state.campaigns.get(req.params.id);
    if (!found) return refuse(res, 404, `campaign "${req.params.id}" is unknown`);
    const from = Number(req.query.cursor || 0);
    const next = from + pageSize < found.recipients.length ? String(from + pageSize) : null;
    res.json({ recipients: found.recipients.slice(from, from + pageSize), nextCursor: next });
  });

  app.post('/api/updates', express.json({ limit: bodyLimitBytes, type: () => true }), (req, res) => {
    const checked = check(bulkUpdateBody, req.body);
    if (!checked.ok) return refuse(res, 400, checked.problems.join('; '));
    const body = checked.value;
    const key = req.get('Idempotency-Key');
    if (key !== body.batchId) return refuse(res, 400, `header Idempotency-Key: expected "${body.batchId}"`);
    const unknown = body.campaigns.filter(({ campaignId }) => !state.campaigns.has(campaignId));
    if (unknown.length > 0) return refuse(res, 404, `unknown campaigns: ${unknown.map((c) => c.campaignId)}`);
    const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const applied = state.batches.get(body.batchId);
    if (applied === fingerprint) {
      state.duplicateBatches++;
      return res.json({ accepted: 0, duplicate: true });
    }
    if (applied !== undefined) return refuse(res, 422, `batch "${body.batchId}" was applied with another body`);
    let accepted = 0;
    for (const { campaignId, events, status } of body.campaigns) {
      const held = state.events.get(campaignId) ?? new Map();
      for (const event of events) {
        const id = event.eventId ?? `no-id-${held.size}`; // a legacy event without an id is applied as it comes
        if (held.has(id)) {
          state.deduplicatedEvents++;
          continue;
        }
        held.set(id, event);
        accepted++;
      }
      state.events.set(campaignId, held);
      if (status && status.seq > (state.statuses.get(campaignId)?.seq ?? -1)) state.statuses.set(campaignId, status);
    }
    state.batches.set(body.batchId, fingerprint);
    res.json({ accepted, duplicate: false });
  });

  // express.json's own refusals, answered in the contract's error shape.
  app.use((error, _req, res, next) => {
    if (error.type === 'entity.too.large') return refuse(res, 413, `body: expected at most ${bodyLimitBytes} bytes`);
    if (error.type === 'entity.parse.failed') return refuse(res, 400, `body: not JSON (${error.message})`);
    next(error);
  });
  return app;
}
