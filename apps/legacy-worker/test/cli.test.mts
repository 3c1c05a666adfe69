import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it.each(['many', '0x10', '1e3', '0'])('refuses --recipients %s with one line and exit code 2', async (value) => {
    const failure = await run(process.execPath, [cli, '--recipients', value]).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toBe(
      `legacy-worker: --recipients: expected a whole number >= 1 in decimal digits, got "${value}"`,
    );
  });

  it('prints its version, and its help shows every default', async () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect((await run(process.execPath, [cli, '--version'])).stdout).toBe(`${version}\n`);
    const { stdout } = await run(process.execPath, [cli, '--help']);
    const options = stdout.split('\n').filter((line) => /^ {2}--\w/.test(line));
    expect(options).toHaveLength(4);
    for (const line of options) expect(line).toMatch(/\(default: .+\)$/);
  });
});
