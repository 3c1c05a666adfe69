import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeAtomic } from './write.js';

/** The nearest package.json at or above `path`. */
export function nearestPackageJson(path: string): string | undefined {
  let dir = resolve(path);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Adds `name@range` to the dependencies of a package.json unless it is there; returns whether it changed. */
export function addDependency(packageJson: string, name: string, range: string, dry: boolean): boolean {
  const text = readFileSync(packageJson, 'utf8');
  const manifest = JSON.parse(text) as { dependencies?: Record<string, string> };
  if (manifest.dependencies?.[name] !== undefined) return false;
  manifest.dependencies = Object.fromEntries(
    Object.entries({ ...manifest.dependencies, [name]: range }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
  if (!dry) writeAtomic(packageJson, `${JSON.stringify(manifest, null, indent)}\n`);
  return true;
}

/** Removes `name` from the dependencies of a package.json; returns whether it was there. */
export function removeDependency(packageJson: string, name: string, dry: boolean): boolean {
  const text = readFileSync(packageJson, 'utf8');
  const manifest = JSON.parse(text) as { dependencies?: Record<string, string> };
  if (manifest.dependencies?.[name] === undefined) return false;
  delete manifest.dependencies[name];
  const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
  if (!dry) writeAtomic(packageJson, `${JSON.stringify(manifest, null, indent)}\n`);
  return true;
}
