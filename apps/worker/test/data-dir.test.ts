import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataDir } from '../src/data-dir.js';
import { tempDir } from './helpers.js';

describe('checkDataDir', () => {
  it('makes the missing levels of the folder', async () => {
    const dir = join(tempDir(), 'a', 'b');
    await checkDataDir(dir);
    expect(existsSync(dir)).toBe(true);
  });

  // Node 20's recursive mkdir never returns on such a path: this test would hang to its time limit.
  it.runIf(existsSync('/proc/self'))('refuses a folder under /proc at once, naming it and the cause', async () => {
    await expect(checkDataDir('/proc/turtle/data')).rejects.toThrow(
      '--data-dir: cannot create /proc/turtle/data (ENOENT at /proc/turtle)',
    );
  });

  it.runIf(existsSync('/sys/kernel'))('refuses a folder that exists but takes no file', async () => {
    await expect(checkDataDir('/sys')).rejects.toThrow(/^--data-dir: cannot write to \/sys \((EACCES|EROFS|EPERM)\)$/);
  });

  it('refuses a path through a file', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    await expect(checkDataDir(join(file, 'sub'))).rejects.toThrow(`--data-dir: cannot create ${file}/sub (ENOTDIR)`);
  });
});
