import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

// These tests read the built package (`dist/`), which turbo builds before `test`.
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const run = promisify(execFile);

describe('the built package', () => {
  it('stays within 1.5 KB minified and gzipped (ESM build)', async () => {
    const source = await readFile(dist('index.js'), 'utf8');
    const { code } = await transform(source, { minify: true, format: 'esm', target: 'node20' });
    const size = gzipSync(code, { level: 9 }).length;
    console.log(`@scope/throttle ESM: ${source.length} B built, ${code.length} B minified, ${size} B gzipped`);
    expect(size).toBeLessThanOrEqual(1536);
  });

  const script = (flush: boolean) => `
    const { createThrottle } = require(${JSON.stringify(dist('index.cjs'))});
    const throttle = createThrottle({ minIntervalMs: 200 });
    const post = throttle.wrap((n) => console.log('sent', n));
    post(1);
    post(2);
    ${flush ? 'throttle.flush().then(() => console.log("flushed"));' : ''}
  `;

  it('never keeps the process alive with its own timer', async () => {
    const { stdout } = await run(process.execPath, ['-e', script(false)]);
    expect(stdout.trim().split('\n')).toEqual(['sent 1']);
  });

  it('keeps the process alive while a deferred call is awaited, until it has run', async () => {
    const awaited = `
      const { createThrottle } = require(${JSON.stringify(dist('index.cjs'))});
      const throttle = createThrottle({ minIntervalMs: 200 });
      const post = throttle.wrap((n) => console.log('sent', n));
      (async () => {
        await post(1);
        await post(2); // deferred: the worker awaits it, as a legacy loop awaits its post
        console.log('done');
      })();
    `;
    const { stdout } = await run(process.execPath, ['-e', awaited]);
    expect(stdout.trim().split('\n')).toEqual(['sent 1', 'sent 2', 'done']);
  });

  it('keeps the process alive while flush() is awaited, until the deferred call has run', async () => {
    const { stdout } = await run(process.execPath, ['-e', script(true)]);
    expect(stdout.trim().split('\n')).toEqual(['sent 1', 'sent 2', 'flushed']);
  });
});
