import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Node, type SourceFile, SyntaxKind } from 'ts-morph';
import type { ModuleFormat } from '../runtime/module-source.js';

/** The `type` of the nearest package.json above a file: how Node reads its `.js` files. */
export function packageType(path: string): 'module' | 'commonjs' {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module'
          ? 'module'
          : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(folder) === folder) return 'commonjs';
  }
}

/** How a file is written: TypeScript, or JavaScript as ESM or CommonJS (by its extension, its syntax, its package). */
export function formatOf(path: string, file: SourceFile): ModuleFormat {
  if (/\.[cm]?tsx?$/.test(path)) return 'ts';
  if (path.endsWith('.mjs')) return 'esm';
  if (path.endsWith('.cjs')) return 'cjs';
  const esm = file
    .getStatements()
    .some(
      (s) =>
        Node.isImportDeclaration(s) || Node.isExportDeclaration(s) || Node.isExportAssignment(s) || hasExportKeyword(s),
    );
  if (esm) return 'esm';
  const cjs = file
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some((id) => ['require', 'module', 'exports'].includes(id.getText()));
  if (cjs) return 'cjs';
  return packageType(path) === 'module' ? 'esm' : 'cjs';
}

function hasExportKeyword(statement: Node): boolean {
  return (statement as Node & { hasExportKeyword?(): boolean }).hasExportKeyword?.() === true;
}
