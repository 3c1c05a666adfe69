const KINDS = {
  campaign: (deps) => async (campaign) => {
    await deps.http.put(`/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: 0, failed: 0, total: 0 });
  },
};

exports.createRunners = (deps) => Object.fromEntries(Object.entries(KINDS).map(([kind, make]) => [kind, make(deps)]));
