import { Node } from 'ts-morph';
import type { WorkerFile } from '../legacy/LegacyWorker.js';
import type { Decision } from './Plan.js';

function isRequireStatement(statement: Node): boolean {
  if (!Node.isVariableStatement(statement)) return false;
  return statement
    .getDeclarations()
    .some((d) => /^\(?\s*(await\s+)?require\(/.test(d.getInitializer()?.getText() ?? ''));
}

/** Whether a file already takes `serverUpdates` from a module. */
export function importsServerUpdates(file: WorkerFile): boolean {
  return /\{\s*serverUpdates\s*\}\s*(from\s+['"]|=\s*require\()/.test(file.text);
}

/**
 * The decision that imports `serverUpdates` into a file: an `import` after its last import (ESM, TypeScript), or a
 * `require` after its last top-level require (CommonJS), in the file's own quotes and semicolons.
 */
export function addImport(file: WorkerFile, specifier: string): Decision {
  const statements = file.source.getStatements();
  const quote = /(?:from\s+|require\()"/.test(file.text) && !/(?:from\s+|require\()'/.test(file.text) ? '"' : "'";
  const semi = /;\s*$/m.test(file.text) ? ';' : '';
  const esm = file.format !== 'cjs';
  const line = esm
    ? `import { serverUpdates } from ${quote}${specifier}${quote}${semi}`
    : `const { serverUpdates } = require(${quote}${specifier}${quote})${semi}`;
  const anchors = statements.filter((s) => (esm ? Node.isImportDeclaration(s) : isRequireStatement(s)));
  const last = anchors.at(-1);
  const why = 'routes its updates through the generated module';
  if (last)
    return {
      action: 'add',
      file: file.path,
      line: last.getEndLineNumber(),
      at: last.getEnd(),
      text: `\n${line}`,
      usesModule: false,
      why,
    };
  const prologue = statements.filter((s) => Node.isExpressionStatement(s) && /^['"]use strict['"]/.test(s.getText()));
  const after = prologue.at(-1);
  if (after)
    return {
      action: 'add',
      file: file.path,
      line: after.getEndLineNumber(),
      at: after.getEnd(),
      text: `\n\n${line}`,
      usesModule: false,
      why,
    };
  // Above the first statement and the comments that describe it; below a file header (comments a blank line apart).
  const first = statements[0];
  if (first === undefined)
    return { action: 'add', file: file.path, line: 1, at: file.text.length, text: `${line}\n`, usesModule: false, why };
  const leading = file.text.slice(first.getFullStart(), first.getStart());
  const header = leading.lastIndexOf('\n\n');
  const at =
    header >= 0
      ? first.getFullStart() + header + 2
      : first.getFullStart() + (leading.length - leading.trimStart().length);
  return {
    action: 'add',
    file: file.path,
    line: first.getStartLineNumber(),
    at,
    text: `${line}\n\n`,
    usesModule: false,
    why,
  };
}
