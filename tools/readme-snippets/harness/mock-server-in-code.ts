// biome-ignore-all lint/correctness/noUnusedVariables: the block spliced in at `// @snippet` uses them
// Harness of packages/mock-server/README.md, In code. Defines the campaign the block adds, then asks both servers
// the block started for it (in process and over HTTP), and stops them.
import { demoCampaigns as harnessCampaigns } from '@scope/mock-server';

const [{ campaign, recipients: myRecipients }] = harnessCampaigns({ seed: 1, campaigns: 1, recipients: 2 }) as [
  ReturnType<typeof harnessCampaigns>[number],
];
const myCampaign = { ...campaign, id: 'my-campaign' };

// @snippet

for (const base of ['http://main.mock', http.url]) {
  const response = await fetch(`${base}/api/campaigns/my-campaign`);
  if (response.status !== 200) throw new Error(`${base}: GET /api/campaigns/my-campaign answered ${response.status}`);
}
await http.close();
stop();
