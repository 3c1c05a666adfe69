import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { parserFor, runTransform } from '../src/run-transform.js';
import { loadTransforms } from '../src/transforms/index.js';

// jscodeshift-style fixtures: `<case>.input.<ext>` → `<case>.output.<ext>`; `<case>.unsupported.<ext>` must be
// left byte-for-byte and reported; `<case>.unchanged.<ext>` needs no change. Every file is parse-checked.
// `UPDATE_FIXTURES=1 pnpm vitest run test/fixtures.test.ts` writes the actual outputs, for review with git diff.
const update = process.env.UPDATE_FIXTURES === '1';
const transforms = await loadTransforms();

describe.each(transforms.map((t) => [t.name, t] as const))('%s', (name, transform) => {
  const folder = new URL(`../src/transforms/${name}/__testfixtures__/`, import.meta.url);
  const files = readdirSync(folder);
  const parse = (file: string, source: string) => jscodeshift.withParser(parserFor(file))(source);

  for (const file of files.filter((f) => f.includes('.input.'))) {
    it(`rewrites ${file} as expected, and a second run changes nothing`, () => {
      const expectedFile = file.replace('.input.', '.output.');
      const actual = runTransform(transform, file, readFileSync(new URL(file, folder), 'utf8'));
      if (update && actual.kind === 'changed') writeFileSync(new URL(expectedFile, folder), actual.output);
      else if (update) console.error(file, actual);
      expect(existsSync(new URL(expectedFile, folder)), `${expectedFile} is missing`).toBe(true);
      const source = readFileSync(new URL(file, folder), 'utf8');
      const expected = readFileSync(new URL(expectedFile, folder), 'utf8');
      parse(file, source);
      parse(expectedFile, expected);
      const outcome = runTransform(transform, file, source);
      expect(outcome.kind).toBe('changed');
      expect(outcome.kind === 'changed' && outcome.output).toBe(expected);
      expect(runTransform(transform, expectedFile, expected)).toEqual({ kind: 'unchanged' });
    });
  }

  for (const file of files.filter((f) => f.includes('.unsupported.'))) {
    it(`leaves ${file} untouched and says why`, () => {
      const source = readFileSync(new URL(file, folder), 'utf8');
      const outcome = runTransform(transform, file, source);
      expect(outcome).toMatchObject({ kind: 'skipped', reason: expect.any(String), line: expect.any(Number) });
    });
  }

  for (const file of files.filter((f) => f.includes('.unchanged.'))) {
    it(`finds nothing to change in ${file}`, () => {
      expect(runTransform(transform, file, readFileSync(new URL(file, folder), 'utf8'))).toEqual({ kind: 'unchanged' });
    });
  }
});
