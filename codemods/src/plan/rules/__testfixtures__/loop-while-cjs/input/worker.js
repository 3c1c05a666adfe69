'use strict';

async function processCampaign(campaign, deps) {
  const queue = campaign.recipients.slice();
  while (queue.length > 0) {
    const next = queue.shift();
    try {
      await deps.transport.sendMail({ to: next.email });
      await fetch(deps.base + '/api/campaigns/' + campaign.id + '/events', {
        method: 'POST',
        body: JSON.stringify({ events: [{ recipientId: next.id, outcome: 'sent', at: new Date().toISOString() }] }),
      });
    } catch (err) {
      console.error('send failed', err.message);
    }
    await new Promise(function (resolve) {
      setTimeout(resolve, 60000 / campaign.emailsPerMinute);
    });
  }
  await fetch(deps.base + '/api/campaigns/' + campaign.id + '/status', { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
}

module.exports = { processCampaign };
