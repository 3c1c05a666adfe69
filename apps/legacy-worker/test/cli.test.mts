import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/index.js', import.meta.url));
const run = promisify(execFile);

describe('legacy-worker CLI', () => {
  it('runs against the mock main server it starts, and prints what it did and the server load', async () => {
    const { stdout } = await run(process.execPath, [cli, '--recipients', '2', '--campaign', 'cmp-42-004']);
    expect(stdout).toContain('started the mock main server on http://127.0.0.1:');
    expect(stdout).toContain('campaign cmp-42-004: sent 2, failed 0 of 2');
    const summary = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(summary).toMatchObject({ eventsApplied: 2, byEndpoint: { events: 1 } });
  });

  it('refuses a bad flag with one line and exit code 2', async () => {
    const failure = await run(process.execPath, [cli, '--recipients', 'many']).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toBe('legacy-worker: --recipients: expected an integer >= 1, got "many"');
  });
});
