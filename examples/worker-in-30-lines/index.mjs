// The smallest real worker: takes the ready campaigns from the main server, mails each recipient at the campaign's
// rate, and reports every outcome and status through a ServerUpdateScheduler (few, spaced, batched requests).
//   MAIN_SERVER_URL  the main server (default: a mock main server started here, over HTTP, with two campaigns)
//   SMTP_URL         e.g. smtp://user:pass@127.0.0.1:2525 (default: nodemailer's jsonTransport, which sends nothing)
import { createMockServer, listenHttp } from '@scope/mock-server';
import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';
import nodemailer from 'nodemailer';

const demo = { campaigns: 2, rates: [300, 600], recipients: 10 }; // the mock's campaigns: 2 s of sending each
const mock = process.env.MAIN_SERVER_URL ? undefined : await listenHttp(createMockServer({ campaigns: demo }));
const server = process.env.MAIN_SERVER_URL ?? mock.url;
const getJson = (path) =>
  fetch(server + path).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`GET ${server}${path}: ${r.status}`))));
const mailer = nodemailer.createTransport(process.env.SMTP_URL ?? { jsonTransport: true });
const scheduler = new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: server }), workerId: 'w30' });

async function runCampaign({ id, emailsPerMinute, total, from, subject, body }) {
  scheduler.registerCampaign(id, { emailsPerMinute, total });
  const counts = { sent: 0, failed: 0 };
  for (let page = { nextCursor: '' }; page.nextCursor !== null; ) {
    page = await getJson(`/api/campaigns/${id}/recipients?cursor=${page.nextCursor}`);
    for (const { id: recipientId, email } of page.recipients) {
      const info = await mailer.sendMail({ from, to: email, subject, text: body }).catch(() => undefined);
      const outcome = info ? 'sent' : 'failed';
      counts[outcome]++;
      await scheduler.record(id, { recipientId, email, outcome, at: new Date() }); // waits only when it is full
      scheduler.setStatus(id, { state: 'running', ...counts, total });
      await new Promise((resolve) => setTimeout(resolve, 60_000 / emailsPerMinute)); // the campaign's pace
    }
  }
  scheduler.setStatus(id, { state: 'completed', ...counts, total });
  console.log(`${id}: ${counts.sent} sent, ${counts.failed} failed`);
}

await Promise.all((await getJson('/api/campaigns?state=ready')).campaigns.map(runCampaign));
const report = await scheduler.close({ timeoutMs: 60_000 }); // delivers what is left, then stops
console.log(`delivered ${report.eventsDelivered} events, ${report.complete ? 'nothing' : 'some'} left`);
await mock?.close();
process.exitCode = report.complete ? 0 : 1;
