const { fetchRecipients } = require('./api');

// Nothing here reports to the server: nothing to change.
async function list(campaignId) {
  return fetchRecipients(campaignId);
}

module.exports = { list };
