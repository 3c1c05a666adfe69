import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import picomatch from 'picomatch';
import { ignoredByGit } from './git.js';

const SOURCE = new Set(['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx']);
const SKIP = new Set(['node_modules', 'dist', 'build', 'coverage', '.git', '__testfixtures__']);

/** Which files to leave out besides node_modules, dist and the like. */
export interface FileFilter {
  /** Globs, relative to `cwd` (`src/generated/**`, `**\/*.test.js`), of files to leave alone. */
  readonly ignorePatterns: readonly string[];
  /** Leave out what git ignores. */
  readonly gitignore: boolean;
  readonly cwd: string;
}

/**
 * The source files under the given paths (files, or folders walked without node_modules, dist and the like), sorted,
 * less those git ignores and those matching an ignore pattern.
 *
 * @throws Error naming a path that does not exist.
 */
export function sourceFiles(
  paths: readonly string[],
  filter: FileFilter = { ignorePatterns: [], gitignore: false, cwd: process.cwd() },
): string[] {
  // Each file, with whether git's ignore rules apply to it: not under a path that is itself ignored, which the
  // user named on purpose.
  const files = new Map<string, boolean>();
  const walk = (path: string, gitRules: boolean) => {
    const stat = statSync(path);
    if (stat.isFile()) {
      if (SOURCE.has(extname(path)) && !path.endsWith('.d.ts')) files.set(path, gitRules);
      return;
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && SKIP.has(entry.name)) continue;
      walk(join(path, entry.name), gitRules);
    }
  };
  for (const path of paths) {
    try {
      statSync(path);
    } catch {
      throw new Error(`${path}: no such file or folder`);
    }
  }
  const namedIgnored = filter.gitignore ? ignoredByGit(paths, filter.cwd) : new Set<string>();
  for (const path of paths) walk(path, filter.gitignore && !namedIgnored.has(path));
  const isIgnored = picomatch(filter.ignorePatterns as string[], { dot: true });
  let kept = [...files.keys()].filter((file) => !isIgnored(relative(filter.cwd, file)));
  const ignored = ignoredByGit(
    kept.filter((file) => files.get(file)),
    filter.cwd,
  );
  kept = kept.filter((file) => !ignored.has(file));
  return kept.sort();
}
