import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

function git(args: readonly string[], cwd: string, input?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'],
  });
}

const folderOf = (path: string) => (statSync(path).isDirectory() ? path : dirname(path));

/** Paths with uncommitted changes under `path`, or undefined when it is not in a git work tree. */
export function uncommitted(path: string): string[] | undefined {
  try {
    return git(['status', '--porcelain', '--', '.'], folderOf(path))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
  } catch {
    return undefined;
  }
}

/** Whether `path` is inside a git work tree (a rewrite there can be looked at and undone). */
export function inWorkTree(path: string): boolean {
  try {
    return git(['rev-parse', '--is-inside-work-tree'], folderOf(path)).trim() === 'true';
  } catch {
    return false;
  }
}

/** Of `files` (absolute, or relative to `cwd`), those git ignores (.gitignore, .git/info/exclude, global excludes). */
export function ignoredByGit(files: readonly string[], cwd: string): Set<string> {
  if (files.length === 0 || !inWorkTree(cwd)) return new Set();
  try {
    const out = git(['check-ignore', '--no-index', '-z', '--stdin'], cwd, `${files.join('\0')}\0`);
    return new Set(out.split('\0').filter(Boolean));
  } catch {
    // Exit code 1: none of them is ignored.
    return new Set();
  }
}
