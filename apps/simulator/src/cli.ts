#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import type { Measurement } from './metrics.js';

const program = new Command('simulate')
  .version(manifest.version, '-V, --version', 'print the version')
  .description(
    'Server load of the legacy, hotfixed and optimized workers, measured in virtual time against the mock main server.',
  )
  .option(
    '--seed <n>',
    'seed of the demo data, the legacy windows and the faults',
    (v) => {
      if (!/^\d+$/.test(v))
        throw new InvalidArgumentError(`--seed: expected a whole number in decimal digits, got "${v}"`);
      return Number(v);
    },
    1,
  )
  .option('--scenario <text...>', 'only the scenarios whose name contains one of these (default: all)')
  .option('--json <file>', 'write every measurement as JSON (default: none)')
  .option(
    '--svg <file>',
    'write a chart: requests and lost events per scenario and variant, the outage over time (default: none)',
  )
  .option(
    '--readme <file>',
    'replace the part between <!-- simulate:start --> and <!-- simulate:end --> with the tables (and the chart; default: none)',
  )
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
// Loaded once the flags are read: the simulation pulls in the whole kit, which `--help` and `--version` need not wait for.
const [{ chart }, { fullTable, seedTable, stalenessTable }, { runAll }, { SCENARIOS }, { FLEET_BUDGET }] =
  await Promise.all([
    import('./chart.js'),
    import('./report.js'),
    import('./run-all.js'),
    import('./scenarios.js'),
    import('./variants/fleet-budget.js'),
  ]);
const options = program.opts<{ seed: number; scenario?: string[]; json?: string; svg?: string; readme?: string }>();
const selected = SCENARIOS.flatMap((scenario, index) =>
  !options.scenario || options.scenario.some((text) => scenario.name.includes(text)) ? [index] : [],
);
if (selected.length === 0) {
  console.error(`simulate: --scenario matches none of: ${SCENARIOS.map((s) => s.name).join('; ')}`);
  process.exit(2);
}

const started = performance.now();
const results = await runAll({
  seed: options.seed,
  scenarios: selected,
  onDone: (m) => process.stderr.write(`  ${m.scenario} / ${m.variant}: ${m.requests} requests, ${m.lost} lost\n`),
});
const elapsed = ((performance.now() - started) / 1000).toFixed(1);

const json = (m: Measurement) => {
  const { perMinute, pendingPerMinute, ...rest } = m;
  return { ...rest, perMinute, pendingPerMinute };
};
const markdown = [
  `### Measured: current vs optimized (seed ${options.seed})`,
  '',
  seedTable(results),
  '',
  '### Every scenario',
  '',
  fullTable(results),
  '',
  '### Staleness of the optimized worker per speed class (healthy server)',
  '',
  stalenessTable(results),
  '',
  `Lower bound: max(ceil(events / 100), duration / interval), per worker: the events of its busiest campaign (a bulk request carries 100 of each) and the interval of its fastest. Staleness: from an event's \`at\` to its arrival at the server. Simulated in ${elapsed} s of wall time.`,
].join('\n');
console.log(markdown);
if (options.json)
  writeFileSync(options.json, `${JSON.stringify({ seed: options.seed, scenarios: results.map(json) }, null, 2)}\n`);
if (options.svg)
  writeFileSync(options.svg, chart(results, { scenarios: SCENARIOS, seed: options.seed, fleetBudget: FLEET_BUDGET }));
if (options.readme) {
  const text = readFileSync(options.readme, 'utf8');
  const start = text.indexOf('<!-- simulate:start -->');
  const end = text.indexOf('<!-- simulate:end -->');
  if (start === -1 || end < start) {
    console.error(`simulate: ${options.readme} has no <!-- simulate:start --> ... <!-- simulate:end --> section`);
    process.exit(2);
  }
  const image = options.svg
    ? `\n\n![server requests and lost events per scenario, and the outage minute by minute](${relative(dirname(options.readme), options.svg)})`
    : '';
  const section = `<!-- simulate:start -->\n<!-- produced by \`pnpm simulate --readme README.md --svg docs/simulation.svg --json docs/simulation.json\`; do not edit by hand -->\n\n${markdown}${image}\n\n`;
  writeFileSync(options.readme, text.slice(0, start) + section + text.slice(end));
}
