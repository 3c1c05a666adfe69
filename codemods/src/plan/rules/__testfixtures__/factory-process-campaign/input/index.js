const { createRunners } = require('./runners');

function createWorker(deps) {
  const runners = createRunners(deps);
  const processCampaign = runners.campaign;
  return { processCampaign };
}

module.exports = { createWorker };
