#!/usr/bin/env node
import { Command } from 'commander';
import schedulerManifest from '../../packages/scheduler/package.json' with { type: 'json' };
import throttleManifest from '../../packages/throttle/package.json' with { type: 'json' };
import ownManifest from '../package.json' with { type: 'json' };
import { type ApplyReport, apply, ExitError, formatReport } from './commands/apply.js';
import { loadTransforms } from './transforms/index.js';

// Built, the transforms sit in dist/transforms/, one entry each.
const transformsFolder = new URL('./transforms/', import.meta.url);

// Exit codes a script can trust: 0 done (changed or nothing to change), 1 a file errored, was skipped, or was
// changed with a TODO to finish by hand, 2 a usage problem (unknown transform, missing path, dirty tree).
const program = new Command('scope-codemod')
  .description('Moves a legacy worker to the server-friendly kit.')
  .version(ownManifest.version, '-V, --version', 'print the version')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('list')
  .description('list the transforms')
  .action(async () => {
    for (const transform of await loadTransforms(transformsFolder))
      console.log(`${transform.name.padEnd(22)} ${transform.description}`);
  });

program
  .command('apply')
  .description('apply a transform to files or folders')
  .argument('<transform>', 'a transform name (see list)')
  .argument('<paths...>', 'files or folders to rewrite')
  .option('--dry', 'change nothing; report what would change')
  .option('--print', 'print the rewritten files instead of writing them')
  .option('--diff', 'print a unified diff of each change')
  .option('--json', 'print the report as JSON')
  .option(
    '--ignore-pattern <glob>',
    'leave files matching this glob alone (relative to the working folder; repeatable); what git ignores is left alone too',
    (glob: string, previous: string[]) => [...previous, glob],
    [] as string[],
  )
  .option('--force', 'run even outside a git work tree or with uncommitted changes')
  .action(
    async (
      name: string,
      paths: string[],
      o: { dry?: boolean; print?: boolean; diff?: boolean; force?: boolean; json?: boolean; ignorePattern: string[] },
    ) => {
      const transforms = await loadTransforms(transformsFolder);
      const transform = transforms.find((t) => t.name === name);
      if (!transform)
        throw new ExitError(
          `apply: unknown transform "${name}"; known: ${transforms.map((t) => t.name).join(', ')}`,
          2,
        );
      const report: ApplyReport = await apply(
        transform,
        paths,
        {
          dry: o.dry ?? false,
          print: o.print ?? false,
          diff: o.diff ?? false,
          force: o.force ?? false,
          json: o.json ?? false,
          ignorePatterns: o.ignorePattern,
          // The version of the package the transform brings in, as this kit ships it.
          dependencyRange: `^${(transform.dependency === schedulerManifest.name ? schedulerManifest : throttleManifest).version}`,
        },
        (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
      );
      if (o.json) console.log(JSON.stringify(report, null, 2));
      // With the files or their diff on stdout, the summary goes to stderr, so the output can be piped as it is.
      else (o.print || o.diff ? console.error : console.log)(formatReport(report));
      // A file skipped, or changed with a TODO to finish by hand, needs a person: a script should not go on silently.
      process.exitCode = report.errors.length > 0 || report.skipped.length > 0 || report.review.length > 0 ? 1 : 0;
    },
  );

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ExitError ? error.message : `scope-codemod: ${(error as Error).message}`);
  process.exit(error instanceof ExitError ? error.code : 1);
});
