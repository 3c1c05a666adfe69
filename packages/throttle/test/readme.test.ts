import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs every JavaScript block of the README, as it stands, against the built package (`dist/`, which turbo builds
// before `test`), in a child process, as the file a user would save it in: `.cjs` when it uses `require`, `.mjs`
// when it imports. Time in the child is virtual (virtual-clock.cjs): the README's 15 s windows take 15 ms, and no
// call lands outside its window because a loaded machine ran the block slowly. The output is compared, never a time.
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const virtualClock = fileURLToPath(new URL('virtual-clock.cjs', import.meta.url));
const run = promisify(execFile);

type Block = { lang: string; code: string; line: number };

function blocksOf(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1] as string,
    code: match[2] as string,
    line: markdown.slice(0, match.index).split('\n').length,
  }));
}

const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
const blocks = blocksOf(readme);
const snippets = blocks.flatMap((block, index) => {
  if (block.lang !== 'js') return [];
  const format = /\brequire\(/.test(block.code) ? 'cjs' : /^import /m.test(block.code) ? 'mjs' : undefined;
  const next = blocks[index + 1];
  return [{ ...block, format, expected: next?.lang === 'text' ? next.code.trimEnd() : undefined }];
});

let dir: string;
beforeAll(async () => {
  // A project of its own, where `@scope/throttle` resolves to this package through its `exports`, as once installed.
  dir = await mkdtemp(join(tmpdir(), 'throttle-readme-'));
  await mkdir(join(dir, 'node_modules', '@scope'), { recursive: true });
  await symlink(packageRoot, join(dir, 'node_modules', '@scope', 'throttle'), 'dir');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('README', () => {
  it('has runnable blocks in both module systems, each followed by what it prints', () => {
    expect(snippets.map(({ format }) => format).sort()).toEqual(['cjs', 'mjs', 'mjs']);
    for (const { line, expected } of snippets) expect(expected, `block at line ${line}`).toBeDefined();
  });

  it.each(snippets)('block at line $line runs as .$format and prints what the README says', async (snippet) => {
    const file = join(dir, `block-${snippet.line}.${snippet.format}`);
    await writeFile(file, snippet.code);
    const { stdout, stderr } = await run(process.execPath, ['--require', virtualClock, file], {
      cwd: dir,
      timeout: 20_000,
    });
    expect(stderr).toBe('');
    expect(stdout.trimEnd()).toBe(snippet.expected);
  });
});
