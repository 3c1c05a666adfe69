import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshProject, pack, publintMessages, run, tarballFiles } from './fresh-project.js';
import { repoRoot } from './workspace.js';

// @scope/codemods as a user gets it: packed, installed with npm into a project that holds a legacy worker, and run
// from there with npx.
let workDir: string;
let projectDir: string;
let tarball: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'pack-check-codemods-'));
  tarball = await pack(join(repoRoot, 'codemods'), workDir);
  // Its dependencies on the kit's libraries come from their tarballs too, as the registry would serve them.
  const libraries = await Promise.all(
    ['throttle', 'scheduler'].map((name) => pack(join(repoRoot, 'packages', name), workDir)),
  );
  projectDir = await freshProject([tarball, ...libraries]);
  await cp(join(repoRoot, 'apps/legacy-worker/src'), join(projectDir, 'worker/src'), { recursive: true });
  await writeFile(join(projectDir, 'worker/package.json'), `${JSON.stringify({ name: 'worker', private: true })}\n`);
  await writeFile(join(projectDir, '.gitignore'), 'node_modules\n');
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], projectDir);
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-qm', 'legacy worker');
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

describe('@scope/codemods', () => {
  it('ships its build, without tests or fixtures, and passes publint', async () => {
    const files = await tarballFiles(tarball);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/transforms/hotfix-throttle/index.js');
    expect(files).toContain('dist/transforms/scheduler-migration/index.js');
    expect(files).toContain('bin/scope-codemod.js');
    expect(
      files.filter(
        (file) => !/^(dist\/|bin\/scope-codemod\.js$|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(file),
      ),
    ).toEqual([]);
    expect(await publintMessages(tarball)).toEqual([]);
  });

  it('lists its transforms through npx', async () => {
    const output = await run('npx', ['--no-install', 'scope-codemod', 'list'], projectDir);
    expect(output).toContain('hotfix-throttle');
    expect(output).toContain('scheduler-migration');
  });

  it('migrates the legacy worker through npx and adds @scope/scheduler to its package.json', async () => {
    const report = JSON.parse(
      await run(
        'npx',
        ['--no-install', 'scope-codemod', 'apply', 'scheduler-migration', 'worker', '--json'],
        projectDir,
      ),
    );
    // The update sinks (in api.js) go through the generated server-updates module, which drives the scheduler.
    expect(report).toMatchObject({ skipped: [], errors: [] });
    expect([...report.changed].sort()).toEqual(
      expect.arrayContaining(['worker/src/api.js', 'worker/src/server-updates.js']),
    );
    const updates = await readFile(join(projectDir, 'worker/src/server-updates.js'), 'utf8');
    expect(updates).toContain('ServerUpdateScheduler');
    const api = await readFile(join(projectDir, 'worker/src/api.js'), 'utf8');
    expect(api).toContain('server-updates');
    const manifest = JSON.parse(await readFile(join(projectDir, 'worker/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['@scope/scheduler']);
  });
});
