import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newTypeErrors } from '../src/analysis/type-check.js';
import { runTransform } from '../src/run-transform.js';
import { hotfixThrottle } from '../src/transforms/hotfix-throttle/index.js';
import { schedulerMigration } from '../src/transforms/scheduler-migration/index.js';

// A typed legacy worker in its own strict project (test/ts-project): each rewrite must add no type error.
const campaign = fileURLToPath(new URL('./ts-project/campaign.ts', import.meta.url));
const source = readFileSync(campaign, 'utf8');

describe('type checks of rewritten TypeScript', () => {
  it('the typed legacy worker has no type error to begin with', () => {
    expect(newTypeErrors(campaign, source, source)).toEqual([]);
  });

  it.each([hotfixThrottle, schedulerMigration])('$name adds no type error', (transform) => {
    const outcome = runTransform(transform, campaign, source, { typeCheck: true });
    expect(outcome).toMatchObject({ kind: 'changed' });
  });

  it('hotfix-throttle adds no type error to a module posting straight with fetch', () => {
    const direct = fileURLToPath(new URL('./ts-project/direct.ts', import.meta.url));
    const outcome = runTransform(hotfixThrottle, direct, readFileSync(direct, 'utf8'), { typeCheck: true });
    expect(outcome).toMatchObject({ kind: 'changed' });
  });

  it('hotfix-throttle output type-checks before @scope/throttle is installed (the wrappers are typed from the helpers)', () => {
    const outcome = runTransform(hotfixThrottle, campaign, source);
    const output = outcome.kind === 'changed' ? outcome.output : '';
    const uninstalled = output.replace("'@scope/throttle'", "'@scope/throttle-uninstalled'");
    expect(newTypeErrors(campaign, source, uninstalled, '@scope/throttle-uninstalled')).toEqual([]);
  });

  it('refuses a rewrite that would add a type error, and says which', () => {
    const broken = `${source}\nexport const oops: number = 'not a number';\n`;
    const lines = source.split('\n').length;
    expect(newTypeErrors(campaign, source, broken)).toEqual([
      `line ${lines + 1}: Type 'string' is not assignable to type 'number'.`,
    ]);
  });
});

describe('type checks of rewritten TypeScript posting with axios and got', () => {
  const cases = ['axios.ts', 'got.ts'].flatMap((name) =>
    [hotfixThrottle, schedulerMigration].map((transform) => [name, transform.name, transform] as const),
  );
  it.each(cases)('%s: no type error before, and %s adds none', (name, _, transform) => {
    const file = fileURLToPath(new URL(`./ts-project/${name}`, import.meta.url));
    const text = readFileSync(file, 'utf8');
    expect(newTypeErrors(file, text, text)).toEqual([]);
    const outcome = runTransform(transform, file, text, { typeCheck: true });
    expect(outcome.kind === 'error' ? outcome.message : outcome.kind).toBe('changed');
  });
});

describe('scope checks of rewritten JavaScript', () => {
  const file = fileURLToPath(new URL('../../apps/legacy-worker/src/campaign.js', import.meta.url));
  const text = readFileSync(file, 'utf8');

  it('finds no new unresolved name in either rewrite of the legacy worker', () => {
    for (const transform of [hotfixThrottle, schedulerMigration])
      expect(runTransform(transform, file, text, { typeCheck: true })).toMatchObject({ kind: 'changed' });
  });

  it('refuses a rewrite that reads a name declared nowhere, or before its declaration', () => {
    const broken = text
      .replace(
        'async function processCampaign(campaign, deps) {',
        'async function processCampaign(campaign, deps) {\n  flushEverything();',
      )
      .replace("'use strict';", "'use strict';\nconsole.log(late);\nconst late = 1;");
    expect(newTypeErrors(file, text, broken)).toEqual([
      "line 2: Block-scoped variable 'late' used before its declaration.",
      expect.stringMatching(/^line \d+: Cannot find name 'flushEverything'\.$/),
    ]);
  });
});

describe('type checks before the introduced package is installed', () => {
  // A project outside this repository: @scope/throttle cannot be resolved from it.
  const dir = mkdtempSync(join(tmpdir(), 'uninstalled-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        types: [],
      },
    }),
  );
  const file = join(dir, 'direct.ts');
  const text = readFileSync(fileURLToPath(new URL('./ts-project/direct.ts', import.meta.url)), 'utf8');

  it('checks the rewrite against the types the codemods ship, and finds nothing wrong', () => {
    expect(runTransform(hotfixThrottle, file, text, { typeCheck: true })).toMatchObject({ kind: 'changed' });
  });

  it('still catches a wrong use of the package', () => {
    const wrong = `import { createThrottle } from '@scope/throttle';\nexport const t = createThrottle({ minIntervalMs: 'soon' });\n`;
    expect(newTypeErrors(file, '', wrong, '@scope/throttle')).toEqual([
      expect.stringMatching(/^line 2: Type 'string' is not assignable to type 'number'/),
    ]);
  });
});
