import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two folders above this tool. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface PackageInfo {
  readonly name: string;
  readonly dir: string;
  readonly manifest: Record<string, unknown> & { name: string; private?: boolean };
}

/** Every package under `packages/` that is published (not `private`). */
export function publishablePackages(): PackageInfo[] {
  const packagesDir = join(repoRoot, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageInfo['manifest'];
      return { name: manifest.name, dir, manifest };
    })
    .filter((info) => info.manifest.private !== true);
}

/** This tool's own manifest: its devDependencies make turbo build every package before the check runs. */
export function ownManifest(): { devDependencies: Record<string, string> } {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
}
