import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { callersOf } from '../analysis/callers.js';
import { sourceFiles } from '../files.js';
import { inWorkTree, uncommitted } from '../git.js';
import { addDependency, nearestPackageJson } from '../package-json.js';
import { type FileOutcome, runTransform } from '../run-transform.js';
import type { Transform } from '../transform.js';
import { writeAtomic } from '../write.js';

export interface ApplyOptions {
  /** Globs of files to leave alone, relative to the working folder. */
  readonly ignorePatterns?: readonly string[];
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
  /** Files that already use the package the transform brings in: the run has nothing left to do there. */
  readonly alreadyMigrated: string[];
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
    files = sourceFiles(paths, { ignorePatterns: options.ignorePatterns ?? [], gitignore: true, cwd: process.cwd() });
  } catch (error) {
    throw new ExitError(`apply: ${(error as Error).message}`, 2);
  }
  if (!options.force && !options.dry && !options.print) {
    for (const path of paths) {
      if (!inWorkTree(path)) {
        throw new ExitError(
          `apply: ${path} is not in a git work tree, so the rewrite could not be reviewed or undone; run it in one, or pass --force`,
          2,
        );
      }
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
    alreadyMigrated: [],
    skipped: [],
    errors: [],
    review: [],
    callers: [],
    packageJson: null,
  };
  const sources = new Map<string, string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const outcome: FileOutcome = runTransform(transform, file, source, { typeCheck: true });
    const name = relative(process.cwd(), file) || file;
    sources.set(name, source);
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
  if (report.changed.length === 0 && report.skipped.length === 0 && report.errors.length === 0) {
    explainNothingChanged(transform, sources, report);
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

/**
 * A run that changed nothing must say why when there was something to change: files that already use the package
 * the transform brings in are noted (a second run has nothing to do); otherwise each file holding a
 * `processCampaign`, or sending mail and posting to the main server, is reported with its line and a reason, so
 * the run exits 1 instead of passing as "unchanged".
 */
function explainNothingChanged(transform: Transform, sources: ReadonlyMap<string, string>, report: ApplyReport): void {
  const quoted = [`'${transform.dependency}'`, `"${transform.dependency}"`];
  for (const [file, source] of sources) if (quoted.some((q) => source.includes(q))) report.alreadyMigrated.push(file);
  if (report.alreadyMigrated.length > 0) return;
  const found = [...sources].flatMap(([file, source]) => {
    const code = workerCode(source);
    return code === undefined ? [] : [{ file, ...code }];
  });
  // Where processCampaign is defined says most; its callers only when it is defined nowhere in the tree.
  const defined = found.filter((code) => code.defines);
  for (const { file, line, reason } of defined.length > 0 ? defined : found) {
    report.skipped.push({ file, line, reason });
  }
}

/** Where a file holds code the transforms are for, and why nothing was made of it. */
function workerCode(source: string): { line: number; reason: string; defines: boolean } | undefined {
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  const assigned = /\bprocessCampaign\s*=\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[[^\]]+\])+)\s*[;\n]/.exec(
    source,
  );
  if (assigned !== null) {
    return {
      line: lineOf(assigned.index),
      reason: `processCampaign is taken from \`${assigned[1]?.replace(/\s+/g, '')}\` here, built elsewhere at run time: its body cannot be followed, so nothing was rewritten; migrate it by hand`,
      defines: true,
    };
  }
  const definition =
    /\bfunction\s*\*?\s*processCampaign\b|\bprocessCampaign\s*[=:]|\bprocessCampaign\s*\([^)]*\)\s*(?::[^{;]+)?\{/.exec(
      source,
    );
  const named = definition ?? /\bprocessCampaign\b/.exec(source);
  if (named !== null) {
    return {
      defines: definition !== null,
      line: lineOf(named.index),
      reason:
        'processCampaign is here, but no update it sends to the main server is in a form this transform follows, so nothing was rewritten; migrate it by hand',
    };
  }
  const mail = /\bsendMail\b|\bnodemailer\b/.exec(source);
  const posts = /\/api\/campaigns\//.exec(source);
  if (mail !== null && posts !== null) {
    return {
      defines: true,
      line: lineOf(posts.index),
      reason:
        'this file sends mail and posts to the main server, but holds no processCampaign this transform follows, so nothing was rewritten; migrate it by hand',
    };
  }
  return undefined;
}

/** The summary a person reads. */
export function formatReport(report: ApplyReport): string {
  const lines = [`${report.transform}${report.dry ? ' (dry run: nothing written)' : ''}:`];
  lines.push(`  changed    ${report.changed.length}${report.changed.length ? `: ${report.changed.join(', ')}` : ''}`);
  for (const r of report.review) lines.push(`    review ${r.file}: ${r.note}`);
  lines.push(`  unchanged  ${report.unchanged.length}`);
  if (report.alreadyMigrated.length > 0) {
    lines.push(`    already using the package it brings in: ${report.alreadyMigrated.join(', ')}`);
  }
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
