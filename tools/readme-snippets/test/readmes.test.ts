import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockServer, demoCampaigns, listenHttp } from '@scope/mock-server';
import { afterAll, describe, expect, it } from 'vitest';
import { type Block, blocksOf } from '../src/blocks.js';
import { runBlock } from '../src/runBlock.js';

// Every JavaScript and TypeScript block of these READMEs is run for real (see this package's README): as it
// stands, or in the harness its README names, or it is marked `not run` with the reason.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const workDir = fileURLToPath(new URL('../.run', import.meta.url));
const readmes = [
  'packages/scheduler/README.md',
  'packages/throttle/README.md',
  'packages/sqlite-store/README.md',
  'packages/fleet/README.md',
  'packages/otel/README.md',
  'packages/mock-server/README.md',
  'codemods/README.md',
];
// A database of its own on the local Redis, so the fleet's keys meet nobody else's.
const redisUrl = process.env.SNIPPETS_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
// The campaigns the READMEs name, besides the mock's demo set.
const readmeCampaigns = ['c1', 'cmp-1'];

const cases = readmes.flatMap((readme) =>
  blocksOf(readFileSync(join(root, readme), 'utf8')).map((block) => ({
    readme,
    block,
    name: `${readme}:${block.line}`,
  })),
);
const tally = new Map<string, { asIs: number; harness: number; notRun: number }>(
  readmes.map((readme) => [readme, { asIs: 0, harness: 0, notRun: 0 }]),
);

/** A fresh mock main server over HTTP, knowing the demo campaigns and those the READMEs name. */
async function startMock() {
  const mock = createMockServer();
  const [template] = demoCampaigns({ campaigns: 1, recipients: 3 });
  for (const id of readmeCampaigns) {
    const recipients = template!.recipients.map((r, i) => ({ ...r, id: `r${i + 1}` }));
    mock.state.addCampaign({ ...template!.campaign, id, total: recipients.length }, recipients);
  }
  return { mock, http: await listenHttp(mock) };
}

function describeRun(block: Block, run: Awaited<ReturnType<typeof runBlock>>): string {
  const ended = run.timedOut ? 'timed out' : `exit code ${run.exitCode}${run.signal ? `, signal ${run.signal}` : ''}`;
  return `block at line ${block.line} (${run.file}): ${ended}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  const rows = [...tally].map(
    ([readme, t]) => `  ${readme}: ${t.asIs} run as is, ${t.harness} with a harness, ${t.notRun} not run`,
  );
  console.log(`README blocks:\n${rows.join('\n')}`);
});

describe('README blocks', () => {
  it('finds blocks in every README', () => {
    for (const readme of readmes)
      expect(
        cases.some((c) => c.readme === readme),
        readme,
      ).toBe(true);
  });

  describe.concurrent.each(cases)('$name', ({ readme, block }) => {
    if (block.directive.kind === 'not-run') {
      const { reason } = block.directive;
      it(`is not run: ${reason}`, () => {
        tally.get(readme)!.notRun++;
        expect(reason.length).toBeGreaterThan(0);
      });
      return;
    }
    const how = block.directive.kind === 'harness' ? `in ${block.directive.path}` : 'as it stands';
    it(`runs ${how} as .${block.moduleSystem === 'cjs' ? 'cjs' : 'mjs'}`, async () => {
      const { mock, http } = await startMock();
      try {
        const dir = join(workDir, `${readme.replace(/\/README\.md$/, '').replaceAll('/', '-')}-${block.line}`);
        const run = await runBlock(block, { root, dir, mainServerUrl: http.url, redisUrl });
        expect(run.exitCode === 0 && !run.timedOut, describeRun(block, run)).toBe(true);
        for (const line of run.program.stdout) expect(run.stdout, describeRun(block, run)).toMatch(line);
        // A block must not send the server what it refuses: a scheduler would only dead-letter it, quietly.
        const { byStatus } = mock.state.summary();
        const refused = Object.keys(byStatus).filter((status) => /^4\d\d$/.test(status));
        expect(refused, `the mock refused requests: ${JSON.stringify(byStatus)}`).toEqual([]);
        tally.get(readme)![block.directive.kind === 'harness' ? 'harness' : 'asIs']++;
      } finally {
        await http.close();
      }
    });
  });
});
