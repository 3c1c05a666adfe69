import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apply } from '../src/commands/apply.js';
import type { Transform } from '../src/transform.js';
import { hotfixThrottle } from '../src/transforms/hotfix-throttle/index.js';
import { schedulerMigration } from '../src/transforms/scheduler-migration/index.js';

// One fixture a legacy pattern, beside the rules: `__testfixtures__/<case>/input/` is a worker tree; each
// `<transform>/` beside it holds the files that transform must write (the generated module aside, which its own
// tests check), and `refusal.json` the file, line and reason of a refusal, which both transforms must give while
// leaving the tree byte for byte. `UPDATE_FIXTURES=1` writes the actual outputs, for review with git diff.
const root = fileURLToPath(new URL('../src/plan/rules/__testfixtures__/', import.meta.url));
const scratch = fileURLToPath(new URL('../.generated/fixtures/', import.meta.url));
const update = process.env.UPDATE_FIXTURES === '1';
const transforms: readonly Transform[] = [hotfixThrottle, schedulerMigration];
const GENERATED = /(^|\/)server-updates\.[cm]?[jt]s$/;

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (statSync(path).isFile()) files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

async function applyTo(caseName: string, transform: Transform) {
  const dir = join(scratch, caseName, transform.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, caseName, 'input'), dir, { recursive: true });
  const options = {
    dry: false,
    print: false,
    diff: false,
    force: true,
    json: true,
    dependencyRange: '^1.0.0',
    cwd: dir,
  };
  const report = await apply(transform, ['.'], options, () => undefined);
  return { dir, report };
}

const cases = existsSync(root) ? readdirSync(root).sort() : [];

// A fixture reads a worker with the type checker, twice: a generous limit for a busy machine.
describe.each(cases)('fixture %s', { timeout: 120_000 }, (caseName) => {
  const refusalPath = join(root, caseName, 'refusal.json');
  const input = readTree(join(root, caseName, 'input'));
  if (existsSync(refusalPath)) {
    const expected = JSON.parse(readFileSync(refusalPath, 'utf8')) as { file: string; line: number; reason: string };
    for (const transform of transforms) {
      it(`${transform.name} refuses it with the file, line and reason, and leaves it byte for byte`, async () => {
        const { dir, report } = await applyTo(caseName, transform);
        expect(report.skipped).toContainEqual({
          file: expected.file,
          line: expected.line,
          reason: expect.stringContaining(expected.reason),
        });
        expect(report.changed).toEqual([]);
        expect(readTree(dir)).toEqual(input);
      });
    }
    return;
  }
  // `kept.json`: what the migration leaves as it is (file, line, reason), which its report must say; `removed.json`:
  // the plumbing it takes out.
  const listed = (name: string) => {
    const path = join(root, caseName, name);
    return existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as Array<{ file: string; line: number; reason: string }>)
      : [];
  };
  const kept = listed('kept.json');
  const removed = listed('removed.json');
  for (const transform of transforms) {
    it(`${transform.name} rewrites it as expected, and a second run changes nothing`, async () => {
      const { dir, report } = await applyTo(caseName, transform);
      expect(report.skipped).toEqual([]);
      expect(report.errors).toEqual([]);
      if (transform.name === 'scheduler-migration') {
        for (const { file, line, reason } of kept)
          expect(report.kept).toContainEqual({ file, line, why: expect.stringContaining(reason) });
        for (const { file, line, reason } of removed)
          expect(report.removed).toContainEqual({ file, line, why: expect.stringContaining(reason) });
      }
      const actual = readTree(dir);
      const written = new Map([...actual].filter(([path, text]) => input.get(path) !== text && !GENERATED.test(path)));
      expect([...actual.keys()].some((path) => GENERATED.test(path))).toBe(true);
      const expectedDir = join(root, caseName, transform.name);
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const [path, text] of written) {
          mkdirSync(join(expectedDir, path, '..'), { recursive: true });
          writeFileSync(join(expectedDir, path), text);
        }
      }
      expect(written).toEqual(readTree(expectedDir));
      const again = await apply(
        transform,
        ['.'],
        { dry: false, print: false, diff: false, force: true, json: true, dependencyRange: '^1.0.0', cwd: dir },
        () => undefined,
      );
      expect(again.changed).toEqual([]);
      expect(readTree(dir)).toEqual(actual);
    });
  }
});
