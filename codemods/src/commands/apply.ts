import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { callersOf } from '../analysis/callers.js';
import { sourceFiles } from '../files.js';
import { uncommitted } from '../git.js';
import { addDependency, nearestPackageJson } from '../package-json.js';
import { type FileOutcome, runTransform } from '../run-transform.js';
import type { Transform } from '../transform.js';
import { writeAtomic } from '../write.js';

export interface ApplyOptions {
  readonly dry: boolean;
  readonly print: boolean;
  readonly diff: boolean;
  readonly force: boolean;
  readonly json: boolean;
  /** The version range of the package the transform introduces, for the target's package.json. */
  readonly dependencyRange: string;
}

/** What an `apply` did, file by file; printed as a summary, or as JSON for scripts. */
export interface ApplyReport {
  readonly transform: string;
  readonly dry: boolean;
  readonly changed: string[];
  readonly unchanged: string[];
  readonly skipped: Array<{ file: string; line: number | null; reason: string }>;
  readonly errors: Array<{ file: string; line: number | null; message: string }>;
  /** Changed files with something the transform could not infer (marked TODO in the code). */
  readonly review: Array<{ file: string; note: string }>;
  /** Where the rewritten `processCampaign` is called (its signature is kept, so they need no change). */
  callers: Array<{ file: string; line: number }>;
  packageJson: { file: string; added: string } | null;
}

/** A failure the user must act on: the CLI prints it as one line and exits with `code`. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * Applies a transform to every source file under `paths`, each in isolation: a file that cannot be rewritten
 * safely, or whose rewrite fails, is reported and left byte-for-byte as it was; the others are written atomically.
 *
 * @throws ExitError (2) for a missing path or a dirty git tree without `force`.
 */
export function apply(
  transform: Transform,
  paths: readonly string[],
  options: ApplyOptions,
  out: (text: string) => void,
): ApplyReport {
  if (paths.length === 0) throw new ExitError('apply: give at least one file or folder', 2);
  let files: string[];
  try {
    files = sourceFiles(paths);
  } catch (error) {
    throw new ExitError(`apply: ${(error as Error).message}`, 2);
  }
  if (!options.force && !options.dry && !options.print) {
    for (const path of paths) {
      const dirty = uncommitted(path);
      if (dirty && dirty.length > 0) {
        throw new ExitError(
          `apply: ${path} has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}); commit or stash them, or pass --force`,
          2,
        );
      }
    }
  }
  const report: ApplyReport = {
    transform: transform.name,
    dry: options.dry,
    changed: [],
    unchanged: [],
    skipped: [],
    errors: [],
    review: [],
    callers: [],
    packageJson: null,
  };
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const outcome: FileOutcome = runTransform(transform, file, source, { typeCheck: true });
    const name = relative(process.cwd(), file) || file;
    if (outcome.kind === 'unchanged') report.unchanged.push(name);
    else if (outcome.kind === 'skipped')
      report.skipped.push({ file: name, line: outcome.line ?? null, reason: outcome.reason });
    else if (outcome.kind === 'error')
      report.errors.push({ file: name, line: outcome.line ?? null, message: outcome.message });
    else {
      report.changed.push(name);
      for (const note of outcome.notes) report.review.push({ file: name, note });
      if (options.print) out(outcome.output);
      // `a/` and `b/` as git writes them, so `git apply` takes the diff as it is.
      if (options.diff)
        out(createTwoFilesPatch(`a/${name}`, `b/${name}`, outcome.source, outcome.output, '', '', { context: 3 }));
      if (!options.dry && !options.print) writeAtomic(file, outcome.output);
    }
  }
  if (report.changed.length > 0 && transform.name === 'scheduler-migration')
    report.callers = callersOf('processCampaign', files);
  if (report.changed.length > 0) {
    const manifest = nearestPackageJson(paths[0] as string);
    if (
      manifest &&
      addDependency(manifest, transform.dependency, options.dependencyRange, options.dry || options.print)
    ) {
      report.packageJson = {
        file: relative(process.cwd(), manifest) || manifest,
        added: `${transform.dependency}@${options.dependencyRange}`,
      };
    }
  }
  return report;
}

/** The summary a person reads. */
export function formatReport(report: ApplyReport): string {
  const lines = [`${report.transform}${report.dry ? ' (dry run: nothing written)' : ''}:`];
  lines.push(`  changed    ${report.changed.length}${report.changed.length ? `: ${report.changed.join(', ')}` : ''}`);
  for (const r of report.review) lines.push(`    review ${r.file}: ${r.note}`);
  lines.push(`  unchanged  ${report.unchanged.length}`);
  lines.push(
    `  skipped    ${report.skipped.length}${report.skipped.length ? ' (left untouched; migrate by hand):' : ''}`,
  );
  for (const s of report.skipped) lines.push(`    ${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}`);
  lines.push(`  errors     ${report.errors.length}`);
  for (const e of report.errors) lines.push(`    ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  if (report.callers.length > 0) {
    lines.push(
      `  processCampaign is called at ${report.callers.map((c) => `${c.file}:${c.line}`).join(', ')} (same signature: no change needed)`,
    );
  }
  if (report.packageJson) lines.push(`  ${report.packageJson.file}: added ${report.packageJson.added}`);
  return lines.join('\n');
}
