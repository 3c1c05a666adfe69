import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { readsOf, removeUnused } from './unused.js';

const j = jscodeshift.withParser('tsx');

/** Deletes the statement `marker();` (standing for what a rewrite removed), then removes what became unused. */
function afterRewrite(source: string): { output: string; removed: string[] } {
  const root = j(source);
  const before = readsOf(j, root);
  root.find(j.ExpressionStatement, { expression: { callee: { name: 'marker' } } }).remove();
  const removed = removeUnused(j, root, before);
  return { output: root.toSource(), removed };
}

describe('removeUnused', () => {
  it('removes constants, functions and local imports only the removed code read, in turn', () => {
    const { output, removed } = afterRewrite(
      [
        "import { post, fetchAll } from './api';",
        "const { put } = require('./api');",
        'const SIZE = 50;',
        'const LIMIT = SIZE * 2;',
        'function flush() { post(LIMIT); }',
        'function run() { fetchAll(); marker(flush, put); }',
        'run();',
      ].join('\n'),
    );
    expect(removed.sort()).toEqual(['LIMIT', 'SIZE', 'flush', 'post', 'put']);
    expect(output).toBe(
      ["import { fetchAll } from './api';", 'function run() {', '  fetchAll();', '}', 'run();'].join('\n'),
    );
  });

  it('keeps what is exported, has side effects, was unused before, or is still read', () => {
    const source = [
      'export const SIZE = 50;',
      'const started = Date.now();',
      'const NEVER = 1;',
      'const KEPT = 2;',
      "const api = require('./api');",
      'marker(SIZE, started, api);',
      'console.log(KEPT, api.x);',
    ].join('\n');
    const { output, removed } = afterRewrite(source);
    expect(removed).toEqual([]);
    expect(output).toBe(source.replace('marker(SIZE, started, api);\n', ''));
  });

  it('does not count property names or object keys as reads', () => {
    const { removed } = afterRewrite('const size = 1;\nmarker(size);\nconst o = { size: 2 };\no.size;\n');
    expect(removed).toEqual(['size']);
  });
});
