// campaign worker - sends one campaign, reports to main server
// NOTE: needs node 18+ for global fetch

var BATCH = 20;
var STATUS_EVERY = 45 * 1000;

function wait(ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
}

exports.processCampaign = async function processCampaign(job, opts) {
  var server = opts.server;
  var buffer = [];
  var sent = 0, failed = 0, seq = 0;
  var total = job.recipients.length;
  var gap = Math.ceil(60000 / job.emailsPerMinute);

  async function sendBatch() {
    if (buffer.length === 0) return;
    var events = buffer.slice(0);
    buffer.splice(0, buffer.length);
    for (var attempt = 0; attempt < 3; attempt++) {
      try {
        var res = await fetch(server + '/api/campaigns/' + job.id + '/events', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ events: events }),
        });
        if (res.ok) return;
      } catch (e) {
        console.log('events post error', e.message);
      }
    }
    console.log('dropping ' + events.length + ' events');
  }

  async function sendStatus(state) {
    seq++;
    var payload = { state: state, sent: sent, failed: failed, total: total, seq: seq, updatedAt: new Date().toISOString() };
    for (var attempt = 0; attempt < 3; attempt++) {
      try {
        var res = await fetch(server + '/api/campaigns/' + job.id + '/status', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(payload),
        });
        if (res.ok) return;
      } catch (e) {
        console.log('status put error', e.message);
      }
    }
  }

  var statusInterval = setInterval(function () {
    sendStatus('running');
  }, STATUS_EVERY);

  for (var i = 0; i < job.recipients.length; i++) {
    var r = job.recipients[i];
    try {
      var info = await opts.mailer.sendMail({ from: job.from, to: r.email, subject: job.subject, html: job.body });
      sent++;
      buffer.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (buffer.length >= BATCH) await sendBatch();
    await wait(gap);
  }

  clearInterval(statusInterval);
  await sendBatch();
  await sendStatus('completed');
  return { sent: sent, failed: failed };
};
