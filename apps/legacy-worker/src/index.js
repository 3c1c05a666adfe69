#!/usr/bin/env node
'use strict';

// Runs the legacy worker against a main server: by default the mock main server, started here over HTTP.
//   pnpm legacy-worker [--server-url URL] [--smtp-url URL] [--recipients N] [--campaign ID]

const { parseArgs } = require('node:util');
const nodemailer = require('nodemailer');
const { fetchCampaigns, fetchRecipients } = require('./api');
const { processCampaign } = require('./campaign');

function fail(message) {
  console.error(`legacy-worker: ${message}`);
  process.exit(2);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        'server-url': { type: 'string' },
        'smtp-url': { type: 'string' },
        recipients: { type: 'string' },
        campaign: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    }).values;
  } catch (err) {
    fail(err.message);
  }
  if (args.help) {
    console.log(
      [
        'usage: legacy-worker [options]',
        '',
        'options:',
        '  --server-url URL   the main server (default: a mock main server started here)',
        '  --smtp-url URL     the SMTP server (default: none, messages are only rendered)',
        '  --recipients N     at most N recipients per campaign (default: all)',
        '  --campaign ID      only this campaign, repeatable (default: every ready one)',
        '  -V, --version      print the version',
        '  -h, --help         print this help',
      ].join('\n'),
    );
    return;
  }
  if (args.version) {
    console.log(require('../package.json').version);
    return;
  }
  // Decimal digits only: Number() would also read `0x10` as 16 and `1e3` as 1000.
  if (args.recipients !== undefined && !/^[1-9]\d*$/.test(args.recipients)) {
    fail(`--recipients: expected a whole number >= 1 in decimal digits, got "${args.recipients}"`);
  }
  const limit = args.recipients === undefined ? Infinity : Number(args.recipients);

  let serverUrl = args['server-url'];
  let mock;
  if (serverUrl === undefined) {
    const { createMockServer, listenHttp } = require('@scope/mock-server');
    mock = createMockServer();
    mock.http = await listenHttp(mock);
    serverUrl = mock.http.url;
    console.log(`no --server-url: started the mock main server on ${serverUrl}`);
  } else if (!/^https?:\/\//.test(serverUrl)) {
    fail(`--server-url: expected an http(s) URL, got "${serverUrl}"`);
  }

  const transporter = args['smtp-url']
    ? nodemailer.createTransport(args['smtp-url'])
    : nodemailer.createTransport({ jsonTransport: true });

  let campaigns = await fetchCampaigns(serverUrl);
  if (args.campaign) campaigns = campaigns.filter((c) => args.campaign.includes(c.id));
  console.log(`processing ${campaigns.length} campaigns`);

  const started = Date.now();
  const results = await Promise.all(
    campaigns.map(async (campaign) => {
      const recipients = (await fetchRecipients(serverUrl, campaign.id)).slice(0, limit);
      const result = await processCampaign(campaign, { transporter, serverUrl, recipients });
      console.log(`campaign ${campaign.id}: sent ${result.sent}, failed ${result.failed} of ${result.total}`);
      return result;
    }),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`done in ${seconds}s: ${results.reduce((n, r) => n + r.sent, 0)} sent`);
  if (mock) {
    console.log('server load:', JSON.stringify(mock.state.summary(), null, 2));
    await mock.http.close();
  }
  transporter.close();
}

main().catch((err) => {
  console.error(`legacy-worker: ${err.message}`);
  process.exit(1);
});
