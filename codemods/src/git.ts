import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Paths with uncommitted changes under `path`, or undefined when it is not in a git work tree. */
export function uncommitted(path: string): string[] | undefined {
  const cwd = statSync(path).isDirectory() ? path : dirname(path);
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--', '.'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
  } catch {
    return undefined;
  }
}
