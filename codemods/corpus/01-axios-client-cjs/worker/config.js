'use strict';

// Everything comes from the environment; defaults are for local dev only.
module.exports = {
  serverUrl: process.env.MAIN_SERVER_URL || 'http://localhost:4000',
  apiToken: process.env.MAIN_SERVER_TOKEN || 'dev-token',
  batchSize: Number(process.env.EVENT_BATCH_SIZE || 25),
  statusEveryMs: 30 * 1000,
  maxAttempts: 3,
};
