const ATTEMPTS = Number(process.env.ATTEMPTS ?? 3);

// A generic request helper: reads and health checks go through it too.
async function send(method, url, body) {
  for (let i = 0; i < 3; i++) {
    try {
      const res = await fetch(url, { method, body: JSON.stringify(body) });
      if (res.ok) return res;
    } catch {
      // next try
    }
  }
  return undefined;
}

export async function processCampaign(campaign, mailer, base) {
  const putStatus = async (state) => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await fetch(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state }) });
        return;
      } catch {
        // again
      }
    }
  };
  const putFinal = async (state) => {
    for (let i = 0; i <= 2; i++) {
      try {
        await fetch(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state }) });
        return;
      } catch (error) {
        if (i === 2) console.error('status lost', error.message);
      }
    }
  };
  await send('POST', `${base}/api/health`, {});
  await putStatus('running');
  for (const r of campaign.recipients) {
    await mailer.sendMail({ to: r.email });
    await send('POST', `${base}/api/campaigns/${campaign.id}/events`, { events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] });
  }
  await putFinal('completed');
}
