'use strict';

const util = require('util');
const { sendJson } = require('./mainApi');

const FLUSH_LIMIT = 50;
const STATUS_PERIOD = 60000;

function sleep(ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
}

// posts with two quick retries; never throws
async function deliver(method, url, body) {
  for (let i = 0; i < 3; i++) {
    try {
      return await sendJson(method, url, body);
    } catch (err) {
      if (i === 2) console.error('[worker] giving up on ' + url + ': ' + err.message);
    }
  }
  return null;
}

async function processCampaign(options) {
  const campaign = options.campaign;
  const recipients = options.recipients;
  const apiBase = options.apiBase;
  const send = util.promisify(options.mailClient.send.bind(options.mailClient));
  const total = recipients.length;
  const between = 60000 / campaign.emailsPerMinute;
  let results = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let windowTimer = null;

  function statusBody(state) {
    seq += 1;
    return { state: state, sent: sent, failed: failed, total: total, seq: seq, updatedAt: new Date().toISOString() };
  }

  async function flushResults() {
    if (windowTimer !== null) {
      clearTimeout(windowTimer);
      windowTimer = null;
    }
    if (results.length === 0) return;
    const events = results;
    results = [];
    await deliver('POST', apiBase + '/api/campaigns/' + campaign.id + '/events', { events: events });
  }

  const statusTimer = setInterval(function () {
    deliver('PUT', apiBase + '/api/campaigns/' + campaign.id + '/status', statusBody('running'));
  }, STATUS_PERIOD);

  let n = 0;
  while (n < recipients.length) {
    const person = recipients[n];
    n++;
    try {
      const info = await send({ from: campaign.from, to: person.email, subject: campaign.subject, text: campaign.body });
      sent++;
      results.push({ recipientId: person.id, email: person.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      results.push({ recipientId: person.id, email: person.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }

    if (results.length >= FLUSH_LIMIT) {
      await flushResults();
    } else if (windowTimer === null) {
      windowTimer = setTimeout(flushResults, 10000 + Math.floor(Math.random() * 15000));
    }
    if (n % campaign.emailsPerMinute === 0) {
      await deliver('PUT', apiBase + '/api/campaigns/' + campaign.id + '/status', statusBody('running'));
    }
    await sleep(between);
  }

  clearInterval(statusTimer);
  await flushResults();
  await deliver('PUT', apiBase + '/api/campaigns/' + campaign.id + '/status', statusBody('completed'));
  return { sent: sent, failed: failed };
}

module.exports.processCampaign = processCampaign;
