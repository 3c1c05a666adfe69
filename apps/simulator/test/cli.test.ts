import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The built CLI (`dist/cli.js`, built by turbo before `test`); none of these cases runs a simulation.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

describe('simulate CLI', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    const { stdout } = await run(process.execPath, [cli, '--version']);
    expect(stdout).toBe(`${version}\n`);
  });

  it('shows the default of every option in --help', async () => {
    const { stdout } = await run(process.execPath, [cli, '--help']);
    const entries = stdout
      .slice(stdout.indexOf('Options:'))
      .split(/\n(?= {2}-)/)
      .slice(1);
    expect(entries.length).toBeGreaterThan(4);
    for (const entry of entries.filter((e) => !/--version|--help/.test(e))) expect(entry).toMatch(/default:\s/);
  });

  it.each(['0x10', '1e3'])('refuses --seed %s: decimal digits only, with exit code 2', async (value) => {
    const failure = await run(process.execPath, [cli, '--seed', value]).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toMatch(`--seed: expected a whole number in decimal digits, got "${value}"`);
  });
});
