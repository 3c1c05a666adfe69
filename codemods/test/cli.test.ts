import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The built CLI (`dist/cli.js`, built by turbo before `test`) on a temporary git repository holding a copy of
// the legacy worker.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const legacySource = fileURLToPath(new URL('../../apps/legacy-worker/src', import.meta.url));
const exec = promisify(execFile);

const commitAll = (dir: string, message: string) => {
  execFileSync('git', ['add', '.'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', message], { cwd: dir });
};

function legacyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codemod-'));
  cpSync(legacySource, join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'legacy', dependencies: { nodemailer: '^10.0.0' } }, null, 2)}\n`,
  );
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'legacy');
  return dir;
}

async function run(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('scope-codemod CLI', () => {
  it('lists the transforms found in its folder', async () => {
    const { stdout, code } = await run(['list'], tmpdir());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hotfix-throttle\s+Phase 1/m);
  });

  it('dry run and diff change nothing; apply writes, adds the dependency, and a second run changes nothing', async () => {
    const dir = legacyRepo();
    const before = readFileSync(join(dir, 'src/campaign.js'), 'utf8');
    const dry = await run(['apply', 'hotfix-throttle', 'src', '--dry', '--diff'], dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("+const { createThrottle } = require('@scope/throttle');");
    expect(dry.stdout).toContain('-    await postEvents(serverUrl, campaign.id, events);');
    // The summary goes to stderr, so the diff on stdout applies as it is.
    expect(dry.stderr).toContain('(dry run: nothing written)');
    expect(readFileSync(join(dir, 'src/campaign.js'), 'utf8')).toBe(before);
    writeFileSync(join(dir, '.git', 'dry.patch'), dry.stdout);
    execFileSync('git', ['apply', '--check', join(dir, '.git', 'dry.patch')], { cwd: dir });

    const applied = await run(['apply', 'hotfix-throttle', 'src', '--json'], dir);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      transform: 'hotfix-throttle',
      changed: ['src/campaign.js'],
      unchanged: ['src/api.js', 'src/index.js'],
      skipped: [],
      errors: [],
      packageJson: { file: 'package.json', added: expect.stringMatching(/^@scope\/throttle@\^/) },
    });
    expect(readFileSync(join(dir, 'src/campaign.js'), 'utf8')).toContain('await updateThrottle.flush();');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty('@scope/throttle');

    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qam', 'hotfix'], {
      cwd: dir,
    });
    const again = await run(['apply', 'hotfix-throttle', 'src', '--json'], dir);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: [], packageJson: null });
  });

  it('migrates the legacy worker to the scheduler and says where processCampaign is called', async () => {
    const dir = legacyRepo();
    const result = await run(['apply', 'scheduler-migration', 'src', '--json'], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      changed: ['src/campaign.js'],
      review: [],
      callers: [{ file: 'src/index.js', line: expect.any(Number) }],
      packageJson: { added: expect.stringMatching(/^@scope\/scheduler@\^/) },
    });
    const migrated = readFileSync(join(dir, 'src/campaign.js'), 'utf8');
    expect(migrated).toContain('const processSingleRecipientOptimized = async (recipient, ctx) =>');
    // The flush timer went with the buffer; the progress interval stays, reporting through the scheduler.
    expect(migrated).not.toMatch(/setTimeout\(\(\) => \{\s*flushTimer/);
    expect(migrated).toMatch(/setInterval\(\(\) => \{\s*scheduler\.setStatus\(campaign\.id, status\('running'\)\);/);
  });

  it('refuses a dirty tree unless forced, and a missing path or an unknown transform', async () => {
    const dir = legacyRepo();
    writeFileSync(join(dir, 'src/api.js'), '// edited\n', { flag: 'a' });
    const dirty = await run(['apply', 'hotfix-throttle', 'src'], dir);
    expect([dirty.code, dirty.stderr.trim()]).toEqual([
      2,
      expect.stringMatching(/^apply: src has uncommitted changes \(src\/api\.js\)/),
    ]);
    expect((await run(['apply', 'hotfix-throttle', 'src', '--force'], dir)).code).toBe(0);
    expect(await run(['apply', 'hotfix-throttle', 'nowhere'], dir)).toMatchObject({
      code: 2,
      stderr: 'apply: nowhere: no such file or folder\n',
    });
    expect(await run(['apply', 'make-it-fast', 'src'], dir)).toMatchObject({
      code: 2,
      stderr: 'apply: unknown transform "make-it-fast"; known: hotfix-throttle, scheduler-migration\n',
    });
  });

  it('reports a file it cannot rewrite with file, line and reason, leaves it untouched, and exits 1', async () => {
    const dir = legacyRepo();
    const fixture = fileURLToPath(
      new URL('../src/transforms/hotfix-throttle/__testfixtures__/extra-body.unsupported.js', import.meta.url),
    );
    cpSync(fixture, join(dir, 'src/extra.js'));
    execFileSync('git', ['add', '.'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'direct'], {
      cwd: dir,
    });
    const result = await run(['apply', 'hotfix-throttle', 'src'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'src/extra.js:3: the events are not sent as { events } here, so they cannot be merged safely',
    );
    expect(result.stdout).toMatch(/changed\s+1: src\/campaign\.js/);
    expect(readFileSync(join(dir, 'src/extra.js'), 'utf8')).toBe(readFileSync(fixture, 'utf8'));
  });

  it('prints its version', async () => {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(await run(['--version'], tmpdir())).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });

  it('refuses to write outside a git work tree unless forced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-nogit-'));
    cpSync(legacySource, join(dir, 'src'), { recursive: true });
    const refused = await run(['apply', 'hotfix-throttle', 'src'], dir);
    expect([refused.code, refused.stderr.trim()]).toEqual([
      2,
      'apply: src is not in a git work tree, so the rewrite could not be reviewed or undone; run it in one, or pass --force',
    ]);
    expect(readFileSync(join(dir, 'src/campaign.js'), 'utf8')).toBe(
      readFileSync(join(legacySource, 'campaign.js'), 'utf8'),
    );
    expect((await run(['apply', 'hotfix-throttle', 'src', '--dry'], dir)).code).toBe(0);
    expect((await run(['apply', 'hotfix-throttle', 'src', '--force'], dir)).code).toBe(0);
  });

  it('keeps the mode of a rewritten file, and leaves alone what git ignores and what --ignore-pattern names', async () => {
    const dir = legacyRepo();
    chmodSync(join(dir, 'src/campaign.js'), 0o755);
    mkdirSync(join(dir, 'src/generated'));
    mkdirSync(join(dir, 'src/vendor'));
    for (const copy of ['src/generated/campaign.js', 'src/vendor/campaign.js']) {
      cpSync(join(legacySource, 'campaign.js'), join(dir, copy));
    }
    writeFileSync(join(dir, '.gitignore'), 'src/generated/\n');
    commitAll(dir, 'mode and copies');
    const result = await run(['apply', 'hotfix-throttle', 'src', '--ignore-pattern', 'src/vendor/**', '--json'], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).changed).toEqual(['src/campaign.js']);
    expect(statSync(join(dir, 'src/campaign.js')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'src/vendor/campaign.js'), 'utf8')).toBe(
      readFileSync(join(legacySource, 'campaign.js'), 'utf8'),
    );
  });

  it('never passes as unchanged a tree whose processCampaign it could not follow: file, line, reason, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-factory-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src/worker.js'),
      [
        "'use strict';",
        "const runners = require('./runners');",
        '',
        '// The runner for a campaign job comes from the table of job kinds.',
        'const processCampaign = runners.campaign;',
        '',
        'module.exports = { processCampaign };',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'src/runners.js'), "module.exports = require('./table').build();\n");
    execFileSync('git', ['init', '-q'], { cwd: dir });
    commitAll(dir, 'factory');
    for (const transform of ['hotfix-throttle', 'scheduler-migration']) {
      const result = await run(['apply', transform, 'src'], dir);
      expect(result.code, transform).toBe(1);
      expect(result.stdout).toContain(
        `src/worker.js:5: processCampaign is taken from \`runners.campaign\` here, built elsewhere at run time`,
      );
    }
  });

  it('says a tree it already rewrote has nothing left to do, and exits 0', async () => {
    const dir = legacyRepo();
    expect((await run(['apply', 'hotfix-throttle', 'src'], dir)).code).toBe(0);
    commitAll(dir, 'hotfix');
    const again = await run(['apply', 'hotfix-throttle', 'src'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already using the package it brings in: src/campaign.js');
  });
});
