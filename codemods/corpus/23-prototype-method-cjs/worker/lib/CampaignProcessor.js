var client = require('./client');

var BATCH_LIMIT = 50;
var STATUS_INTERVAL_MS = 60000;

function CampaignProcessor(options) {
  this.serverUrl = options.serverUrl;
  this.transporter = options.transporter;
  this.log = options.log || function () {};
}

CampaignProcessor.prototype.url = function (campaignId, what) {
  return this.serverUrl + '/api/campaigns/' + campaignId + '/' + what;
};

CampaignProcessor.prototype.sleep = function (ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
};

CampaignProcessor.prototype.processCampaign = async function (campaign, recipients) {
  var self = this;
  var batch = [];
  var sent = 0;
  var failed = 0;
  var seq = 0;
  var batchTimer = null;

  function statusOf(state) {
    return { state: state, sent: sent, failed: failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() };
  }

  async function flushBatch() {
    if (batchTimer) clearTimeout(batchTimer);
    batchTimer = null;
    if (!batch.length) return;
    var events = batch;
    batch = [];
    await client.request('POST', self.url(campaign.id, 'events'), { events: events });
  }

  var statusTimer = setInterval(function () {
    client.request('PUT', self.url(campaign.id, 'status'), statusOf('running'));
  }, STATUS_INTERVAL_MS);

  for (var i = 0; i < recipients.length; i++) {
    var recipient = recipients[i];
    try {
      var info = await self.transporter.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      sent++;
      batch.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      batch.push({
        recipientId: recipient.id,
        email: recipient.email,
        outcome: err.responseCode >= 500 ? 'bounced' : 'failed',
        at: new Date().toISOString(),
        error: err.message,
      });
    }

    if (batch.length >= BATCH_LIMIT) {
      await flushBatch();
    } else if (!batchTimer) {
      batchTimer = setTimeout(flushBatch, 10000 + Math.random() * 15000);
    }
    if ((i + 1) % campaign.emailsPerMinute === 0) {
      await client.request('PUT', self.url(campaign.id, 'status'), statusOf('running'));
    }
    await self.sleep(60000 / campaign.emailsPerMinute);
  }

  clearInterval(statusTimer);
  await flushBatch();
  await client.request('PUT', self.url(campaign.id, 'status'), statusOf('completed'));
  self.log('campaign ' + campaign.id + ' finished');
  return { sent: sent, failed: failed };
};

module.exports = CampaignProcessor;
