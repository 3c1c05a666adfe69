const axios = require('axios');

const STATUS_TICK_MS = 25 * 1000;

function randomWindow() {
  return 10 * 1000 + Math.floor(Math.random() * 15 * 1000);
}

/**
 * @param {object} campaign   campaign row from the main server
 * @param {object[]} recipients
 * @param {{ serverUrl: string, transporter: { sendMail: Function } }} deps
 */
async function processCampaign(campaign, recipients, deps) {
  const eventsUrl = deps.serverUrl + '/api/campaigns/' + campaign.id + '/events';
  const statusUrl = deps.serverUrl + '/api/campaigns/' + campaign.id + '/status';
  let queue = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let stopped = false;
  let statusHandle;
  let flushHandle;

  function status(state) {
    seq++;
    const body = { state: state, sent: sent, failed: failed, total: recipients.length, seq: seq, updatedAt: new Date().toISOString() };
    return axios.put(statusUrl, body).catch(function () {
      return axios.put(statusUrl, body).catch(function (err) {
        console.warn('status dropped: ' + err.message);
      });
    });
  }

  function postQueue() {
    if (queue.length === 0) return Promise.resolve();
    const events = queue;
    queue = [];
    return axios.post(eventsUrl, { events: events }).catch(function () {
      return axios.post(eventsUrl, { events: events }).catch(function (err) {
        console.warn('events dropped (' + events.length + '): ' + err.message);
      });
    });
  }

  function tick() {
    status('running').then(function () {
      if (!stopped) statusHandle = setTimeout(tick, STATUS_TICK_MS);
    });
  }

  function flushLater() {
    flushHandle = setTimeout(function () {
      postQueue().then(function () {
        if (!stopped) flushLater();
      });
    }, randomWindow());
  }

  statusHandle = setTimeout(tick, STATUS_TICK_MS);
  flushLater();

  let i = 0;
  while (i < recipients.length) {
    const rcpt = recipients[i];
    try {
      const info = await deps.transporter.sendMail({ from: campaign.from, to: rcpt.email, subject: campaign.subject, text: campaign.body });
      sent++;
      queue.push({ recipientId: rcpt.id, email: rcpt.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      queue.push({ recipientId: rcpt.id, email: rcpt.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    await new Promise(function (resolve) {
      setTimeout(resolve, 60000 / campaign.emailsPerMinute);
    });
    i++;
  }

  stopped = true;
  clearTimeout(statusHandle);
  clearTimeout(flushHandle);
  await postQueue();
  await status('completed');
  return { sent: sent, failed: failed };
}

module.exports = processCampaign;
module.exports.processCampaign = processCampaign;
