import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { EmitError, emit } from '../emit/emit.js';
import { sourceFiles } from '../files.js';
import { inWorkTree, uncommitted } from '../git.js';
import { readLegacyWorker } from '../legacy/LegacyWorker.js';
import { addDependency, nearestPackageJson, removeDependency } from '../package-json.js';
import type { Decision } from '../plan/Plan.js';
import { planFor } from '../plan/planFor.js';
import { GENERATED_MARKER } from '../runtime/module-source.js';
import type { Transform } from '../transform.js';
import { addedErrors } from '../verify/added-errors.js';
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
  /** The working folder paths and reports are relative to. @default process.cwd() */
  readonly cwd?: string;
  /** Leave out what git ignores. @default true */
  readonly gitignore?: boolean;
}

/** What an `apply` did; printed as a summary, or as JSON for scripts. */
export interface ApplyReport {
  readonly transform: string;
  readonly dry: boolean;
  /** Files rewritten, and the generated module when it is new. */
  readonly changed: string[];
  readonly unchanged: string[];
  /** Files that already use the package the transform brings in: the run has nothing left to do there. */
  readonly alreadyMigrated: string[];
  /** Why nothing was rewritten: each refusal with its file and line. The tree is left byte for byte. */
  readonly skipped: Array<{ file: string; line: number | null; reason: string }>;
  readonly errors: Array<{ file: string; line: number | null; message: string }>;
  /** What a person must finish (marked TODO in the code). */
  readonly review: Array<{ file: string; line: number | null; note: string }>;
  /** Each rewrite, with why. */
  readonly rewrites: Array<{ file: string; line: number; why: string }>;
  /** What was left as it is, and why (plumbing that now only feeds the generated module, a rate not registered). */
  readonly kept: Array<{ file: string; line: number; why: string }>;
  /** Plumbing taken out because the model proved it inert (a retry loop around a call now taken in at once). */
  readonly removed: Array<{ file: string; line: number; why: string }>;
  packageJson: { file: string; added: string[]; removed: string[] } | null;
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
 * Applies a transform to the worker made of every source file under `paths`: reads it into the legacy model,
 * plans, and, unless the plan refuses, emits the rewrite, checks that it adds no type error (the generated module
 * in place), and writes each file atomically. A refusal, an emit error or a type error leaves every file byte for
 * byte as it was, and the report says where and why.
 *
 * @throws ExitError (2) for a missing path, a folder outside a git work tree or a dirty tree without `force`.
 */
export async function apply(
  transform: Transform,
  paths: readonly string[],
  options: ApplyOptions,
  out: (text: string) => void,
): Promise<ApplyReport> {
  if (paths.length === 0) throw new ExitError('apply: give at least one file or folder', 2);
  const cwd = options.cwd ?? process.cwd();
  const absolute = paths.map((path) => resolve(cwd, path));
  let files: string[];
  try {
    files = sourceFiles(absolute, {
      ignorePatterns: options.ignorePatterns ?? [],
      gitignore: options.gitignore ?? true,
      cwd,
    });
  } catch (error) {
    throw new ExitError(`apply: ${(error as Error).message.replace(`${cwd}/`, '')}`, 2);
  }
  if (!options.force && !options.dry && !options.print) {
    for (const path of absolute) {
      if (!inWorkTree(path)) {
        throw new ExitError(
          `apply: ${relative(cwd, path) || path} is not in a git work tree, so the rewrite could not be reviewed or undone; run it in one, or pass --force`,
          2,
        );
      }
      const dirty = uncommitted(path);
      if (dirty && dirty.length > 0) {
        throw new ExitError(
          `apply: ${relative(cwd, path) || path} has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}); commit or stash them, or pass --force`,
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
    rewrites: [],
    kept: [],
    removed: [],
    packageJson: null,
  };
  const name = (file: string) => relative(cwd, file) || file;
  const sources = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
  const worker = readLegacyWorker([...sources].map(([path, text]) => ({ path, text })));
  let written = new Map<string, string>();
  let decisions: readonly Decision[] = [];
  try {
    const plan = await planFor(worker, { transform: transform.name, delivery: transform.delivery });
    decisions = plan.decisions;
    const refused = decisions.filter((d) => d.action === 'refuse');
    for (const d of refused) report.skipped.push({ file: name(d.file), line: d.line, reason: d.why });
    if (refused.length === 0) {
      const emitted = emit(worker, plan);
      const added = emitted.files.size > 0 ? addedErrors(worker, emitted, [transform.dependency]) : [];
      if (added.length > 0) {
        report.errors.push({
          file: name(added[0]?.split(':')[0] ?? ''),
          line: null,
          message: `the rewrite would add ${added.length} type error(s), so nothing was written: ${added
            .slice(0, 3)
            .map((e) => relative(cwd, e))
            .join('; ')}`,
        });
      } else written = new Map(emitted.files);
    }
  } catch (error) {
    if (!(error instanceof EmitError)) throw error;
    report.errors.push({ file: name(error.file), line: error.line || null, message: error.message });
  } finally {
    worker.dispose();
  }
  written = new Map([...written].sort(([a], [b]) => a.localeCompare(b)));
  for (const [file, output] of written) {
    const before = sources.get(file) ?? '';
    report.changed.push(name(file));
    if (options.print) out(output);
    // `a/` and `b/` as git writes them, so `git apply` takes the diff as it is.
    if (options.diff)
      out(createTwoFilesPatch(`a/${name(file)}`, `b/${name(file)}`, before, output, '', '', { context: 3 }));
    if (!options.dry && !options.print) {
      if (sources.has(file)) writeAtomic(file, output);
      else writeFileSync(file, output);
    }
  }
  for (const file of files) if (!written.has(file)) report.unchanged.push(name(file));
  if (written.size > 0) {
    for (const d of decisions) {
      if (d.action === 'replace' || d.action === 'add' || d.action === 'create' || d.action === 'move')
        report.rewrites.push({ file: name(d.file), line: d.line, why: d.why });
      else if (d.action === 'remove') report.removed.push({ file: name(d.file), line: d.line, why: d.why });
      else if (d.action === 'keep') report.kept.push({ file: name(d.file), line: d.line, why: d.why });
      else if (d.action === 'todo') report.review.push({ file: name(d.file), line: d.line, note: d.note });
    }
    const manifest = nearestPackageJson(absolute[0] as string);
    if (manifest) {
      const dry = options.dry || options.print;
      const added: string[] = [];
      const removed: string[] = [];
      for (const d of decisions) {
        if (d.action !== 'dependency') continue;
        for (const dependency of d.add) {
          if (
            addDependency(
              manifest,
              dependency,
              dependency === transform.dependency ? options.dependencyRange : 'latest',
              dry,
            )
          )
            added.push(`${dependency}@${options.dependencyRange}`);
        }
        for (const dependency of d.remove) if (removeDependency(manifest, dependency, dry)) removed.push(dependency);
      }
      if (added.length > 0 || removed.length > 0) report.packageJson = { file: name(manifest), added, removed };
    }
  }
  if (report.changed.length === 0 && report.skipped.length === 0 && report.errors.length === 0) {
    explainNothingChanged(transform, new Map([...sources].map(([file, text]) => [name(file), text])), report);
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
  for (const [file, source] of sources) {
    if (quoted.some((q) => source.includes(q)) || source.startsWith(GENERATED_MARKER))
      report.alreadyMigrated.push(file);
  }
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
  for (const r of report.rewrites) lines.push(`    ${r.file}:${r.line}: ${r.why}`);
  for (const r of report.removed) lines.push(`    removed ${r.file}:${r.line}: ${r.why}`);
  for (const r of report.kept) lines.push(`    kept ${r.file}:${r.line}: ${r.why}`);
  for (const r of report.review) lines.push(`    review ${r.file}${r.line ? `:${r.line}` : ''}: ${r.note}`);
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
  if (report.packageJson) {
    const { file, added, removed } = report.packageJson;
    lines.push(
      `  ${file}:${added.length ? ` added ${added.join(', ')}` : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`,
    );
  }
  return lines.join('\n');
}
