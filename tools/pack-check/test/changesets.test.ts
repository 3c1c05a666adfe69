import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages, repoRoot } from './workspace.js';

// `changeset version` reads each file's front matter; one a formatter has rewritten is silently not a changeset.
const folder = join(repoRoot, '.changeset');
const changesets = readdirSync(folder).filter((file) => file.endsWith('.md') && file !== 'README.md');
const published = new Set([...publishablePackages().map((info) => info.name), '@scope/codemods']);

describe('changesets', () => {
  it('leaves every published package with a changelog, or with a changeset that will start one', () => {
    const pending = changesets.map((file) => readFileSync(join(folder, file), 'utf8')).join('\n');
    const packages = [...publishablePackages(), { name: '@scope/codemods', dir: join(repoRoot, 'codemods') }];
    for (const { name, dir } of packages) {
      const changelog = existsSync(join(dir, 'CHANGELOG.md'));
      expect(changelog || pending.includes(`'${name}'`), `${name}: no CHANGELOG.md, no changeset`).toBe(true);
    }
  });

  // Pending changesets (none right after `changeset version`).
  it.skipIf(changesets.length === 0).each(changesets)(
    '%s has front matter naming published packages and a bump, then a summary',
    (file) => {
      const text = readFileSync(join(folder, file), 'utf8');
      const match = /^---\n((?:["'][^"']+["']: (?:major|minor|patch)\n)+)---\n\n\S/.exec(text);
      expect(match, `${file}: front matter`).not.toBeNull();
      const names = [...(match?.[1] ?? '').matchAll(/["']([^"']+)["']:/g)].map((m) => m[1]);
      for (const name of names) expect(published.has(name as string), `${file}: ${name} is not published`).toBe(true);
    },
  );
});
