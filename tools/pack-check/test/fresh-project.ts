import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { repoRoot } from './workspace.js';

const exec = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Runs a command and fails with its output, so a broken step says what broke. */
export async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env } });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}:\n${stdout}${stderr}`);
  }
}

/** Packs a workspace package with pnpm (which rewrites `workspace:` ranges) and returns the tarball's path. */
export async function pack(packageDir: string, destination: string): Promise<string> {
  const stdout = await run('pnpm', ['pack', '--pack-destination', destination], packageDir);
  const tarball = stdout.trim().split('\n').at(-1)?.trim();
  if (!tarball?.endsWith('.tgz')) throw new Error(`pnpm pack printed no tarball path: ${stdout}`);
  return tarball;
}

/** The files a tarball holds, without the `package/` prefix. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const listing = await run('tar', ['-tzf', tarball], tmpdir());
  return listing
    .trim()
    .split('\n')
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

/** A new folder with a bare package.json and the tarballs installed by npm, as a user's project would be. */
export async function freshProject(tarballs: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pack-check-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const flags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--ignore-scripts'];
  await run('npm', ['install', ...flags, ...tarballs], dir);
  await placeNativeAddons(dir);
  return dir;
}

/**
 * better-sqlite3 compiles its addon at install (no prebuilt binary can be downloaded here). The workspace's install
 * has compiled the same version for the same Node, so the fresh project gets that build instead of a second one of
 * several minutes; a version that differs is compiled as a user's install would.
 */
async function placeNativeAddons(dir: string): Promise<void> {
  const installed = join(dir, 'node_modules', 'better-sqlite3');
  if (!existsSync(installed)) return;
  const fromStore = createRequire(join(repoRoot, 'packages', 'sqlite-store', 'package.json'));
  const built = dirname(fromStore.resolve('better-sqlite3/package.json'));
  const version = (path: string) => JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')).version;
  if (version(built) !== version(installed)) {
    await run('npm', ['rebuild', 'better-sqlite3', '--loglevel=error'], dir);
    return;
  }
  const addon = join('build', 'Release', 'better_sqlite3.node');
  await mkdir(dirname(join(installed, addon)), { recursive: true });
  await cp(join(built, addon), join(installed, addon));
}

/** The names a package exports, as `require` and as `import` see them. */
export async function exportedNames(projectDir: string, name: string): Promise<{ cjs: string[]; esm: string[] }> {
  const cjs = await run(
    process.execPath,
    ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)})).sort()))`],
    projectDir,
  );
  const esm = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default').sort()))`,
    ],
    projectDir,
  );
  return { cjs: JSON.parse(cjs), esm: JSON.parse(esm) };
}

const compilerOptions = { strict: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false };

/**
 * Type-checks a consumer file against the installed package with `node16` resolution (as an ES module and as
 * CommonJS, so each `exports` condition's types are used), compiles and runs both, then type-checks it again with
 * `bundler` resolution. Returns what the two runs printed.
 */
export async function checkConsumer(projectDir: string, consumerFile: string): Promise<{ esm: string; cjs: string }> {
  await copyFile(consumerFile, join(projectDir, 'consumer.mts'));
  await copyFile(consumerFile, join(projectDir, 'consumer.cts'));
  await copyFile(consumerFile, join(projectDir, 'consumer.ts'));
  const node16 = {
    compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16', outDir: 'out' },
    files: ['consumer.mts', 'consumer.cts'],
  };
  const bundler = {
    compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler', noEmit: true },
    files: ['consumer.ts'],
  };
  await writeFile(join(projectDir, 'tsconfig.node16.json'), JSON.stringify(node16));
  await writeFile(join(projectDir, 'tsconfig.bundler.json'), JSON.stringify(bundler));
  await run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], projectDir);
  await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], projectDir);
  const esm = await run(process.execPath, [join(projectDir, 'out', 'consumer.mjs')], projectDir);
  const cjs = await run(process.execPath, [join(projectDir, 'out', 'consumer.cjs')], projectDir);
  return { esm: esm.trim(), cjs: cjs.trim() };
}

/** What publint (strict, warnings included) says about a packed tarball, one line per message. */
export async function publintMessages(tarball: string): Promise<string[]> {
  const bytes = await readFile(tarball);
  const { messages, pkg } = await publint({
    pkgDir: 'package',
    level: 'warning',
    strict: true,
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
  });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`);
}
