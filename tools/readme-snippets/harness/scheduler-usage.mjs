// biome-ignore-all lint/correctness/noUnusedVariables: the block spliced in at `// @snippet` uses them
// Harness of packages/scheduler/README.md, Usage. Defines what the block leaves to the worker (sendEmail, pace, log,
// saveForNextStart), runs one ready campaign of the main server through the block's processCampaign, checks the
// server applied every event, then sends the SIGTERM the block handles.
const mainServer = process.env.MAIN_SERVER_URL;
const getJson = async (path) => (await fetch(`${mainServer}${path}`)).json();
const problems = [];
const log = { error: (message, letter) => problems.push(`${message}: ${JSON.stringify(letter)}`) };
const sendEmail = async () => 'sent';
const pace = () => new Promise((resolve) => setTimeout(resolve, 5)); // a worker waits 60 s / emailsPerMinute
const saveForNextStart = async (unsent, unacknowledged) => {
  throw new Error(`close() left updates: ${JSON.stringify({ unsent, unacknowledged })}`);
};

// @snippet

const [campaign] = (await getJson('/api/campaigns?state=ready')).campaigns;
const recipients = [];
for (let cursor = ''; cursor !== null; ) {
  const page = await getJson(`/api/campaigns/${campaign.id}/recipients?cursor=${cursor}`);
  recipients.push(...page.recipients);
  cursor = page.nextCursor;
}
await processCampaign({ ...campaign, recipients });
const { eventsApplied, duplicateEvents } = await getJson('/__mock/summary');
if (problems.length > 0 || eventsApplied !== recipients.length || duplicateEvents !== 0) {
  throw new Error(`expected ${recipients.length} events applied once: ${eventsApplied} applied, ${problems}`);
}
process.kill(process.pid, 'SIGTERM');
