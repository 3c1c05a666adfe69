'use strict';

const got = require('got').default;
const crypto = require('crypto');

let client = null;

function init(serverUrl) {
  client = got.extend({
    prefixUrl: serverUrl,
    retry: { limit: 0 }, // we retry ourselves, see below
    hooks: {
      beforeRequest: [
        (options) => {
          options.headers['x-request-id'] = crypto.randomUUID();
        },
      ],
    },
  });
}

async function twice(fn) {
  try {
    return await fn();
  } catch (first) {
    try {
      return await fn();
    } catch (second) {
      console.error('reportingClient: dropped after 2 tries:', second.message);
      return null;
    }
  }
}

function reportEvents(campaignId, events) {
  return twice(() => client.post(`api/campaigns/${campaignId}/events`, { json: { events } }));
}

function reportStatus(campaignId, status) {
  return twice(() => client.put(`api/campaigns/${campaignId}/status`, { json: status }));
}

module.exports = { init, reportEvents, reportStatus };
