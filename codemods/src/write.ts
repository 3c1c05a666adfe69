import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes a file atomically: a temporary file beside it, then a rename, so a file is never left half-written. */
export function writeAtomic(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.codemod`);
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
