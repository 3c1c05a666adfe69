import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Diagnostic, type SourceFile, ts } from 'ts-morph';
import type { Emitted } from '../emit/emit.js';
import type { LegacyWorker } from '../legacy/LegacyWorker.js';
import { GENERATED_MARKER } from '../runtime/module-source.js';

const require = createRequire(import.meta.url);

// In JavaScript only the scope is checked: a name that resolves to nothing, or is read before it is declared.
const SCOPE_ERRORS = new Set([2304, 2448, 2449, 2552, 2662, 2663]);

function message(diagnostic: Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, ' ');
}

function errorsOf(file: SourceFile, introduced: readonly string[]): Diagnostic[] {
  const javascript = !/\.[cm]?tsx?$/.test(file.getFilePath());
  const program = file.getProject().getProgram();
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].filter((d) => {
    if (d.getCategory() !== ts.DiagnosticCategory.Error) return false;
    if (javascript && !SCOPE_ERRORS.has(d.getCode())) return false;
    // The package a transform brings in is added to package.json; until it is installed it cannot be found.
    return !(d.getCode() === 2307 && introduced.some((name) => message(d).includes(`'${name}'`)));
  });
}

/** Syntax errors of a JavaScript text, each as `line: message`. */
function syntaxErrors(path: string, text: string): string[] {
  const file = ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.Latest,
    true,
    path.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS,
  );
  const diagnostics = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map(
    (d) =>
      `${file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  );
}

/** Where the package's own types are, to check a rewrite against before the worker installs it. */
export function shippedTypes(name: string): string | undefined {
  try {
    return join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.d.ts');
  } catch {
    return undefined;
  }
}

/**
 * The type errors the emitted text would add, checked in the worker's project with every emitted file in place (the
 * generated module included): in TypeScript every error, in JavaScript names that resolve to nothing or are used
 * before their declaration. The project is left as it was.
 */
export function addedErrors(worker: LegacyWorker, emitted: Emitted, introduced: readonly string[]): string[] {
  const { project } = worker;
  // JavaScript is parse-checked instead: a rewrite only moves the worker's own text and adds \`serverUpdates\`, which
  // the import it adds declares.
  // The generated module is checked by its own tests, in a stricter project than any worker's; the files that use it
  // are checked against it. When only the module changes (a hotfixed worker migrated), its callers' calls are the
  // same and so is its API: nothing to check.
  const changed = [...emitted.files]
    .filter(
      ([path, text]) => !emitted.created.has(path) && /\.[cm]?tsx?$/.test(path) && !text.startsWith(GENERATED_MARKER),
    )
    .map(([path]) => path);
  const added: string[] = [];
  for (const [path, text] of emitted.files) {
    if (/\.[cm]?tsx?$/.test(path)) continue;
    for (const d of syntaxErrors(path, text)) added.push(`${path}:${d}`);
  }
  if (changed.length === 0) return added;
  const before = new Map<string, Map<string, number>>();
  for (const path of changed) {
    const counts = new Map<string, number>();
    for (const d of errorsOf(worker.files.get(path)?.source as SourceFile, introduced)) {
      const key = `${d.getCode()}:${message(d)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    before.set(path, counts);
  }
  const created: SourceFile[] = [];
  try {
    for (const [path, text] of emitted.files) {
      const existing = project.getSourceFile(path);
      if (existing) existing.replaceWithText(text);
      else created.push(project.createSourceFile(path, text, { overwrite: true }));
    }
    for (const path of changed) {
      const counts = before.get(path) as Map<string, number>;
      for (const d of errorsOf(project.getSourceFileOrThrow(path), introduced)) {
        const key = `${d.getCode()}:${message(d)}`;
        const left = counts.get(key) ?? 0;
        if (left > 0) counts.set(key, left - 1);
        else added.push(`${path}:${d.getLineNumber() ?? '?'}: ${message(d)}`);
      }
    }
  } finally {
    for (const [path] of emitted.files) {
      const original = worker.files.get(path);
      if (original) project.getSourceFile(path)?.replaceWithText(original.text);
    }
    for (const file of created) project.removeSourceFile(file);
  }
  return added;
}
