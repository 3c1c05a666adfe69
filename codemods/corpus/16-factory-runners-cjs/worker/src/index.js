'use strict';

const axios = require('axios');
const { createRunners } = require('./runners');

function createWorker({ serverUrl, mailer, log = console.log }) {
  const http = axios.create({ baseURL: serverUrl, timeout: 10000 });
  const runners = createRunners({ http, mailer, log });
  const processCampaign = runners.campaign;
  return { processCampaign, preview: runners.preview };
}

module.exports = { createWorker };
