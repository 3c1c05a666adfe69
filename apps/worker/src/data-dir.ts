import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors/ConfigError.js';

/**
 * Makes the data folder and checks that it takes a file, before any mail goes out: what the run could not deliver
 * is kept there.
 *
 * @throws ConfigError naming the folder, the step that failed and its cause (`ENOENT`, `EACCES`, `ENOTDIR`, ...).
 */
export async function checkDataDir(dir: string): Promise<void> {
  try {
    await makeDir(resolve(dir));
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    const at = path === undefined || path === resolve(dir) ? '' : ` at ${path}`;
    throw new ConfigError(`--data-dir: cannot create ${dir} (${code ?? (error as Error).message}${at})`);
  }
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    throw new ConfigError(`--data-dir: cannot write to ${dir} (${code ?? (error as Error).message})`);
  }
}

/**
 * `mkdir -p`, one level at a time. Node 20's recursive mkdir never returns on a path under /proc (its parent exists,
 * yet making the child says ENOENT, and it retries forever); making each missing level alone fails at once instead.
 */
async function makeDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let path = dir;
  while (!(await isDirectory(path))) {
    missing.unshift(path);
    if (dirname(path) === path) break;
    path = dirname(path);
  }
  for (const level of missing) await mkdir(level);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
