const api = require('./api');
const { sendEvents, sendStatus } = require('./updates');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledSendEventsMerged = updateThrottle.wrap(sendEvents, {
  key: (...args) => args[0],
  merge: ([, previous1], [next0, next1, next2]) => [next0, [...previous1, ...next1], next2],
});
const throttledSendEvents = (...args) =>
  throttledSendEventsMerged(...(args.map((arg, i) => (i === 1 ? [...arg] : arg))));
const throttledSendStatus = updateThrottle.wrap(sendStatus, { key: (...args) => args[0] });

class CampaignRunner {
  constructor(transporter) {
    this.transporter = transporter;
  }

  // Each outcome is buffered; the buffer goes out every 50 events.
  async processCampaign(campaign, recipients) {
    let buffer = [];
    let index = 0;
    while (index < recipients.length) {
      const info = await this.transporter.sendMail({ to: recipients[index].email });
      buffer.push({ recipientId: recipients[index].id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
      if (buffer.length === 50) {
        await throttledSendEvents(campaign.id, buffer, api.token);
        buffer.splice(0, buffer.length);
      }
      index++;
    }
    await throttledSendEvents(campaign.id, buffer, api.token);
    await updateThrottle.flush();
    await throttledSendStatus(campaign.id, 'completed');
  }
}

module.exports = { CampaignRunner };
