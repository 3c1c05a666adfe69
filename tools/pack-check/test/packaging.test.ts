import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsumer, exportedNames, freshProject, pack, publintMessages, tarballFiles } from './fresh-project.js';
import { ownManifest, type PackageInfo, publishablePackages } from './workspace.js';

const packages = publishablePackages();
// Runtime dependencies a published package may have: none, unless one clearly earns its place (name it here).
const allowedDependencies: Record<string, readonly string[]> = {
  // The durable outbox is SQLite; a package of its own, so the scheduler stays dependency-free.
  '@scope/sqlite-store': ['better-sqlite3'],
  // Fleet mode is Redis and BullMQ by definition: the client and the queue are the package's reason to exist (and
  // bullmq pins ioredis, so the two come as a pair).
  '@scope/fleet': ['bullmq', 'ioredis'],
};
const consumerFile = (info: PackageInfo) =>
  new URL(`../consumers/${info.name.replace(/^@[^/]+\//, '')}.ts`, import.meta.url).pathname;

let workDir: string;
let projectDir: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'pack-check-tarballs-'));
  for (const info of packages) tarballs.set(info.name, await pack(info.dir, workDir));
  projectDir = await freshProject([...tarballs.values()]);
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

describe('the workspace', () => {
  it('has publishable packages, each built before this check and each with a consumer file', () => {
    expect(packages.length).toBeGreaterThan(0);
    const built = ownManifest().devDependencies;
    for (const info of packages) {
      expect(built[info.name], `${info.name} must be a devDependency of @internal/pack-check`).toBe('workspace:*');
      expect(existsSync(consumerFile(info)), `consumers/${info.name.split('/')[1]}.ts is missing`).toBe(true);
    }
  });
});

describe.each(packages.map((info) => [info.name, info] as const))('%s', (name, info) => {
  it('declares what a published package needs: exports with types per condition, files, engines, license', () => {
    const { manifest } = info;
    expect(manifest.engines, `${name}: engines`).toEqual({ node: '>=20.19' });
    expect(manifest.files, `${name}: files`).toEqual(['dist']);
    expect(manifest.license, `${name}: license`).toBeTypeOf('string');
    const dependencies = Object.keys((manifest.dependencies as Record<string, string> | undefined) ?? {});
    expect(dependencies, `${name}: runtime dependencies`).toEqual(allowedDependencies[name] ?? []);
    const root = (manifest.exports as Record<string, Record<string, Record<string, string>>>)['.'];
    for (const condition of ['import', 'require'] as const) {
      const entry = root?.[condition];
      expect(Object.keys(entry ?? {}), `${name}: exports["."].${condition}`).toEqual(['types', 'default']);
    }
  });

  it('passes publint with no error or warning', async () => {
    expect(await publintMessages(tarballs.get(name) as string)).toEqual([]);
  });

  it('ships only the build, its manifest, readme and licence', async () => {
    const files = await tarballFiles(tarballs.get(name) as string);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.d.cts');
    const unexpected = files.filter(
      (file) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(file),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => /\.test\.|__tests__|__testfixtures__/.test(file))).toEqual([]);
  });

  it('installs with npm into a fresh project and loads with require and import alike', async () => {
    const { cjs, esm } = await exportedNames(projectDir, name);
    expect(cjs.length).toBeGreaterThan(0);
    expect(esm).toEqual(cjs);
  });

  it('type-checks a consumer under node16 (ESM and CJS) and bundler resolution, and the consumer runs', async () => {
    const output = await checkConsumer(projectDir, consumerFile(info));
    expect(output).toEqual({ esm: 'ok', cjs: 'ok' });
    // Two tsc runs and two node runs: ~10 s on an idle machine, far more on a loaded one.
  }, 300_000);
});
