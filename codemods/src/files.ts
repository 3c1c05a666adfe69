import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const SOURCE = new Set(['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx']);
const SKIP = new Set(['node_modules', 'dist', 'build', 'coverage', '.git', '__testfixtures__']);

/**
 * The source files under the given paths (files, or folders walked without node_modules, dist and the like), sorted.
 *
 * @throws Error naming a path that does not exist.
 */
export function sourceFiles(paths: readonly string[]): string[] {
  const files = new Set<string>();
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isFile()) {
      if (SOURCE.has(extname(path)) && !path.endsWith('.d.ts')) files.add(path);
      return;
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && SKIP.has(entry.name)) continue;
      walk(join(path, entry.name));
    }
  };
  for (const path of paths) {
    try {
      statSync(path);
    } catch {
      throw new Error(`${path}: no such file or folder`);
    }
    walk(path);
  }
  return [...files].sort();
}
