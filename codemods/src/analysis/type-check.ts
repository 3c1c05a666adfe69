import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Diagnostic, Project, ts } from 'ts-morph';

const require = createRequire(import.meta.url);

/** The types of a package this kit ships (a dependency of the codemods), to check a file before it is installed. */
function shippedTypes(name: string): string | undefined {
  try {
    return join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.d.ts');
  } catch {
    return undefined;
  }
}

/**
 * Until the target installs the package a transform brings in, its imports are checked against the copy the
 * codemods ship, so what the rewrite calls is checked for real rather than typed `any`.
 */
function resolveIntroduced(project: Project, path: string, introduced: string | undefined): void {
  if (!introduced) return;
  const options = project.compilerOptions.get();
  if (ts.resolveModuleName(introduced, path, options, ts.sys).resolvedModule) return;
  const types = shippedTypes(introduced);
  if (types) project.compilerOptions.set({ paths: { ...options.paths, [introduced]: [types] } });
}

/** A type error, without its position: the same error moved by a rewrite is not a new one. */
function signature(diagnostic: Diagnostic): string {
  return `${diagnostic.getCode()}:${message(diagnostic)}`;
}

function message(diagnostic: Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, ' ');
}

// In JavaScript only the scope is checked: a name that resolves to nothing, or is read before it is declared. Node's
// own globals (`process`, `require`: TypeScript's 2580 and 2591) are there when the file runs, types or not.
const SCOPE_ERRORS = new Set([2304, 2448, 2449, 2552, 2662, 2663]);

/**
 * The errors a rewrite adds to a file, checked in the file's own project (its tsconfig.json when there is one,
 * strict defaults otherwise): every type error in TypeScript; in JavaScript, names that resolve to nothing or are
 * used before their declaration. Errors the file had before are not counted again.
 */
export function newTypeErrors(path: string, before: string, after: string, introduced?: string): string[] {
  const javascript = !/\.[cm]?tsx?$/.test(path);
  const configPath = ts.findConfigFile(dirname(path), ts.sys.fileExists);
  const checkJs = javascript ? { allowJs: true, checkJs: true, noEmit: true } : {};
  const project = configPath
    ? new Project({ tsConfigFilePath: configPath, skipAddingFilesFromTsConfig: true, compilerOptions: checkJs })
    : new Project({
        compilerOptions: {
          strict: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          skipLibCheck: true,
          ...checkJs,
        },
      });
  resolveIntroduced(project, path, introduced);
  const file = project.createSourceFile(path, before, { overwrite: true });
  project.resolveSourceFileDependencies();
  const errorsOf = () =>
    file
      .getPreEmitDiagnostics()
      .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error && (!javascript || SCOPE_ERRORS.has(d.getCode())));
  const seen = new Map<string, number>();
  for (const d of errorsOf()) seen.set(signature(d), (seen.get(signature(d)) ?? 0) + 1);
  file.replaceWithText(after);
  const added: string[] = [];
  for (const d of errorsOf()) {
    const key = signature(d);
    // The package a transform brings in is added to package.json; until it is installed it cannot be found.
    if (introduced && d.getCode() === 2307 && key.includes(`'${introduced}'`)) continue;
    const left = seen.get(key) ?? 0;
    if (left > 0) seen.set(key, left - 1);
    else added.push(`line ${d.getLineNumber() ?? '?'}: ${message(d)}`);
  }
  return added;
}
