import { dirname } from 'node:path';
import { Project, ts } from 'ts-morph';

/**
 * The compiler options a legacy worker is read with: JavaScript included (so `require`, JSDoc and imports are
 * followed across files), Node's module rules, nothing emitted.
 */
export function readingOptions(configPath: string | undefined): ts.CompilerOptions {
  const own = configPath ? ts.getParsedCommandLineOfConfigFile(configPath, {}, parseHost)?.options : undefined;
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    ...own,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    types: own?.types ?? ['node'],
  };
}

const parseHost: ts.ParseConfigFileHost = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: () => undefined,
};

const projects = new Map<string, Project>();

/**
 * A ts-morph project for files read with these options. Projects are kept per set of options and reused, so the
 * library and dependency declarations they load are parsed once per process, however many trees are read; the
 * caller removes its own files when done.
 */
export function sharedProject(options: ts.CompilerOptions): Project {
  const key = JSON.stringify(options);
  let project = projects.get(key);
  if (project === undefined) {
    project = new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true });
    projects.set(key, project);
  }
  return project;
}

/** The nearest tsconfig.json above a folder, if any. */
export function configFor(folder: string): string | undefined {
  return ts.findConfigFile(folder, ts.sys.fileExists) ?? undefined;
}

export { dirname };
