import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

// These tests read the built package (`dist/`), which turbo builds before `test`.
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const exec = promisify(execFile);
// Time in the child is virtual (virtual-clock.cjs): calls made one after the other happen at one instant, however
// slowly a loaded machine runs them, and a 15 s window takes 15 ms. A process the throttle wrongly kept alive fails
// at the timeout, with its output, rather than at the test's.
const virtualClock = fileURLToPath(new URL('virtual-clock.cjs', import.meta.url));
const run = (file: string, args: string[]) => exec(file, ['--require', virtualClock, ...args], { timeout: 20_000 });

describe('the built package', () => {
  it('stays within 2.25 KB minified and gzipped (ESM build)', async () => {
    const source = await readFile(dist('index.js'), 'utf8');
    const { code } = await transform(source, { minify: true, format: 'esm', target: 'node20' });
    const size = gzipSync(code, { level: 9 }).length;
    console.log(`@scope/throttle ESM: ${source.length} B built, ${code.length} B minified, ${size} B gzipped`);
    expect(size).toBeLessThanOrEqual(2304);
  });

  const script = (flush: boolean) => `
    const { createThrottle } = require(${JSON.stringify(dist('index.cjs'))});
    const throttle = createThrottle({ minIntervalMs: 15000 });
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
      const throttle = createThrottle({ minIntervalMs: 15000 });
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

  it('keeps a worker that calls without await running when a deferred merged call fails, with a warning', async () => {
    // Before, the deferred call's rejection was unhandled, and Node.js ended the process with exit code 1.
    const legacy = `
      const { createThrottle } = require(${JSON.stringify(dist('index.cjs'))});
      const throttle = createThrottle({ minIntervalMs: 15000 });
      const post = throttle.wrap(async (n) => {
        if (n > 1) throw new Error('server said 503');
        console.log('sent', n);
      });
      post(1);
      post(2);
      post(3);
      throttle.flush().then(() => console.log('flushed'));
    `;
    const { stdout, stderr } = await run(process.execPath, ['-e', legacy]);
    expect(stdout.trim().split('\n')).toEqual(['sent 1', 'flushed']);
    expect(stderr).toContain(
      'ThrottledCallError: A throttled call carrying the arguments of 2 call(s) failed: server said 503',
    );
    expect(stderr).not.toContain('UnhandledPromiseRejection');
  });

  it('loads as ESM and as CommonJS with the same exports', async () => {
    const names = (code: string) => run(process.execPath, ['--input-type=module', '-e', code]);
    const esm = await names(
      `console.log(Object.keys(await import(${JSON.stringify(dist('index.js'))})).sort().join())`,
    );
    const cjs = await run(process.execPath, [
      '-e',
      `console.log(Object.keys(require(${JSON.stringify(dist('index.cjs'))})).sort().join())`,
    ]);
    expect(esm.stdout.trim()).toBe(
      'FlushInsideCallError,MIN_UPDATE_INTERVAL,ThrottledCallError,createThrottle,isFlushInsideCallError,isThrottledCallError',
    );
    expect(cjs.stdout.trim()).toBe(esm.stdout.trim());
  });
});
