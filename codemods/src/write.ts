import { chmodSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temporary file beside it, then a rename, so a file is never left half-written. The
 * file keeps its mode (an executable script stays executable).
 */
export function writeAtomic(path: string, content: string): void {
  const { mode } = statSync(path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.codemod`);
  writeFileSync(temporary, content, { mode });
  // The umask applies when a file is created: set the mode as it was.
  chmodSync(temporary, mode & 0o7777);
  renameSync(temporary, path);
}
