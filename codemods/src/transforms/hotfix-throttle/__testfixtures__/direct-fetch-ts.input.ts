// A TypeScript ES module posting straight with fetch.
export async function processCampaign(campaign: { id: string }, events: unknown[], serverUrl: string): Promise<void> {
  await fetch(`${serverUrl}/api/campaigns/${campaign.id}/events`, { method: 'POST', body: JSON.stringify({ events }) });
}
