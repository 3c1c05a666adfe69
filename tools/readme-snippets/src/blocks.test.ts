import { describe, expect, it } from 'vitest';
import { blocksOf } from './blocks.js';

const fence = '```';

describe('blocksOf', () => {
  it('finds the js, mjs, cjs and ts blocks, with their line and module system, and skips the others', () => {
    const markdown = [
      '# title',
      `${fence}sh`,
      'npm install',
      fence,
      `${fence}js`,
      "import { a } from 'a';",
      fence,
      `${fence}js`,
      "const { a } = require('a');",
      fence,
      `${fence}ts`,
      'const a: number = 1;',
      fence,
      '',
    ].join('\n');
    expect(blocksOf(markdown).map(({ language, line, moduleSystem }) => ({ language, line, moduleSystem }))).toEqual([
      { language: 'js', line: 5, moduleSystem: 'esm' },
      { language: 'js', line: 8, moduleSystem: 'cjs' },
      { language: 'ts', line: 11, moduleSystem: 'esm' },
    ]);
  });

  it('reads the directive on the line before the fence, blank lines between allowed', () => {
    const markdown = [
      '<!-- snippet: with tools/x/harness.mjs -->',
      '',
      `${fence}js`,
      'run();',
      fence,
      '<!-- snippet: not run (only a type) -->',
      `${fence}ts`,
      'type A = 1;',
      fence,
      'text',
      `${fence}js`,
      'ok();',
      fence,
    ].join('\n');
    expect(blocksOf(markdown).map((block) => block.directive)).toEqual([
      { kind: 'harness', path: 'tools/x/harness.mjs' },
      { kind: 'not-run', reason: 'only a type' },
      { kind: 'as-is' },
    ]);
  });

  it('refuses a directive without a reason or a path, naming its line', () => {
    expect(() => blocksOf(`<!-- snippet: not run -->\n${fence}js\nx();\n${fence}\n`)).toThrow(
      /^before the block at line 2: expected `<!-- snippet: with <path> -->` or `<!-- snippet: not run \(<reason>\) -->`/,
    );
    expect(() => blocksOf(`<!-- snippet: not run () -->\n${fence}js\nx();\n${fence}\n`)).toThrow(SyntaxError);
  });
});
