import type { Campaign } from '@scope/contract';
import { describe, expect, it } from 'vitest';
import { createMockServer, MockServerState } from '../src/index.js';
import { event, serve, status } from './harness.js';

const ID_RULE = 'expected 1-200 letters, digits, ".", "_", "~" or "-", starting with a letter or digit';
const bulk = (batchId: string, campaigns: unknown[]) => ({ workerId: 'w1', batchId, campaigns });

describe.each(['in-process', 'http'] as const)('unknown campaigns and ids (%s)', (mode) => {
  const served = serve(mode);
  const { post, put } = served;
  const answer = async (response: Response) => [response.status, await response.json()];

  it('refuses a bulk batch naming an unknown campaign with 404 and the campaign id, applying none of it', async () => {
    const body = bulk('b-1', [
      { campaignId: 'cmp-42-001', events: [event('r1')] },
      { campaignId: 'cmp-nope', events: [event('r2')] },
    ]);
    expect(await answer(await post('/api/updates', body, { 'idempotency-key': 'b-1' }))).toEqual([
      404,
      { error: 'campaigns[1].campaignId: campaign "cmp-nope" is unknown' },
    ]);
    expect(served.mock.state.summary().eventsApplied).toBe(0);
    // Its batch id is not taken: once the server knows the campaign, the same batch applies.
    const held = served.mock.state.campaigns.get('cmp-42-001') as Campaign;
    served.mock.state.addCampaign({ ...held, id: 'cmp-nope' }, []);
    expect(await answer(await post('/api/updates', body, { 'idempotency-key': 'b-1' }))).toEqual([
      200,
      { accepted: 2, duplicate: false },
    ]);
  });

  it('refuses legacy events, statuses, intake and control for an unknown campaign with 404', async () => {
    const unknown = { error: 'campaignId (path): campaign "cmp-nope" is unknown' };
    expect(await answer(await post('/api/campaigns/cmp-nope/events', { events: [event('r1')] }))).toEqual([
      404,
      unknown,
    ]);
    expect(await answer(await put('/api/campaigns/cmp-nope/status', status(1)))).toEqual([404, unknown]);
    expect(await answer(await fetch(`${served.base}/api/campaigns/cmp-nope`))).toEqual([404, unknown]);
    expect(await answer(await fetch(`${served.base}/api/campaigns/cmp-nope/recipients`))).toEqual([404, unknown]);
    expect(await answer(await post('/__mock/control', { campaignId: 'cmp-nope', state: 'paused' }))).toEqual([
      404,
      { error: 'campaignId: campaign "cmp-nope" is unknown' },
    ]);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 0 });
    expect(served.mock.state.statuses.size).toBe(0);
    expect(served.mock.state.control.size).toBe(0);
  });

  it('refuses a campaign id that is not one path segment, such as ../../etc/passwd, with 400 naming the field', async () => {
    const path = `/api/campaigns/${encodeURIComponent('../../etc/passwd')}`;
    const inPath = { error: `campaignId (path): ${ID_RULE}, got "../../etc/passwd"` };
    expect(await answer(await post(`${path}/events`, { events: [event('r1')] }))).toEqual([400, inPath]);
    expect(await answer(await put(`${path}/status`, status(1)))).toEqual([400, inPath]);
    expect(await answer(await fetch(`${served.base}${path}`))).toEqual([400, inPath]);
    expect(await answer(await fetch(`${served.base}${path}/recipients`))).toEqual([400, inPath]);
    const body = bulk('b-2', [
      { campaignId: 'cmp-42-001', events: [] },
      { campaignId: '../../etc/passwd', events: [] },
    ]);
    expect(await answer(await post('/api/updates', body, { 'idempotency-key': 'b-2' }))).toEqual([
      400,
      { error: `campaigns[1].campaignId: ${ID_RULE}, got "../../etc/passwd"` },
    ]);
    expect(await answer(await post('/__mock/control', { campaignId: '..\\x', state: 'paused' }))).toEqual([
      400,
      { error: `campaignId: ${ID_RULE}, got "..\\\\x"` },
    ]);
    const long = 'c'.repeat(201);
    expect((await answer(await post(`/api/campaigns/${long}/events`, { events: [] })))[1].error).toMatch(
      /^campaignId \(path\): expected 1-200 letters, .*, got "c+\.\.\."$/,
    );
  });

  it('refuses batch ids, event ids and legacy Idempotency-Keys that break the identifier rule, naming the field', async () => {
    const spaced = bulk('b 3', [{ campaignId: 'cmp-42-001', events: [] }]);
    const refused = await post('/api/updates', spaced, { 'idempotency-key': 'b 3' });
    expect([refused.status, (await refused.json()).error]).toEqual([400, expect.stringMatching(/^batchId: .*"b 3"$/)]);
    const tooLong = bulk('b'.repeat(201), [{ campaignId: 'cmp-42-001', events: [] }]);
    const long = await post('/api/updates', tooLong, { 'idempotency-key': 'b'.repeat(201) });
    expect([long.status, (await long.json()).error]).toEqual([
      400,
      expect.stringMatching(/^batchId: expected 1-200 printable ASCII characters without spaces/),
    ]);
    const badEvent = bulk('b-4', [{ campaignId: 'cmp-42-001', events: [event('r1', 'sent', { eventId: 'e 1' })] }]);
    const eventRefused = await post('/api/updates', badEvent, { 'idempotency-key': 'b-4' });
    expect([eventRefused.status, (await eventRefused.json()).error]).toEqual([
      400,
      expect.stringMatching(/^campaigns\[0\]\.events\[0\]\.eventId: .*"e 1"$/),
    ]);
    const legacyEvent = await post('/api/campaigns/cmp-42-001/events', {
      events: [event('r1', 'sent', { eventId: '' })],
    });
    expect([legacyEvent.status, (await legacyEvent.json()).error]).toEqual([
      400,
      expect.stringMatching(/^events\[0\]\.eventId: expected 1-200 printable ASCII characters without spaces, got ""$/),
    ]);
    const legacyKey = await post('/api/campaigns/cmp-42-001/events', { events: [] }, { 'idempotency-key': 'k 1' });
    expect([legacyKey.status, (await legacyKey.json()).error]).toEqual([
      400,
      expect.stringMatching(/^header Idempotency-Key: .*"k 1"$/),
    ]);
    expect(served.mock.state.summary().eventsApplied).toBe(0);
  });
});

describe('MockServerState.addCampaign', () => {
  it('refuses a campaign whose id the mock would refuse in a path, naming the field and value', () => {
    const demo = createMockServer().state.campaigns.get('cmp-42-001') as Campaign;
    const state = new MockServerState();
    expect(() => state.addCampaign({ ...demo, id: 'a/b' }, [])).toThrow(
      new RangeError(`campaign.id: ${ID_RULE}, got "a/b"`),
    );
    expect(() =>
      createMockServer({ campaigns: [{ campaign: { ...demo, emailsPerMinute: 0 }, recipients: [] }] }),
    ).toThrow('campaign cmp-42-001: emailsPerMinute: expected > 0, got 0');
    state.addCampaign(demo, []);
    expect(state.knows('cmp-42-001')).toBe(true);
  });
});
