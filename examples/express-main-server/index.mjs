// Serves the example main server on PORT (default 4000) with the mock server's demo campaigns:
//   pnpm --filter @examples/express-main-server start
//   MAIN_SERVER_URL=http://127.0.0.1:4000 pnpm --filter @examples/worker-in-30-lines start
import { demoCampaigns } from '@scope/mock-server';
import { createApp, createState } from './server.mjs';

const state = createState(demoCampaigns({ campaigns: 2, rates: [300, 600], recipients: 10 }));
const server = createApp(state).listen(Number(process.env.PORT ?? 4000), '127.0.0.1', () =>
  console.log(`main server on http://127.0.0.1:${server.address().port}`),
);
process.on('SIGINT', () => {
  const events = [...state.events.values()].reduce((sum, held) => sum + held.size, 0);
  console.log(`\n${state.batches.size} batches, ${events} events applied, ${state.duplicateBatches} repeated batches`);
  server.close();
});
