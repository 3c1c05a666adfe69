const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Tries a callback three times, a second apart.
async function withRetries(fn) {
  for (let i = 0; i < 3; i++) {
    try {
      return await fn();
    } catch (err) {
      console.warn('update failed', err.message);
      await sleep(1000);
    }
  }
  return null;
}

export async function processCampaign(campaign, mailer, base) {
  const postEvents = async (events) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        // the server drops connections during deploys
        await fetch(`${base}/api/campaigns/${campaign.id}/events`, {
          method: 'POST',
          body: JSON.stringify({ events }),
        });
        break;
      } catch (e) {
        console.log('events attempt %d failed', attempt, e.message);
        await sleep(500);
      }
    }
  };
  const putStatus = (state) =>
    withRetries(() =>
      fetch(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state }) }),
    );
  await putStatus('running');
  for (const r of campaign.recipients) {
    await mailer.sendMail({ to: r.email });
    await postEvents([{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }]);
  }
  await putStatus('completed');
}
