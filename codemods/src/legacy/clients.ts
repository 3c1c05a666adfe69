import { Node, SyntaxKind, type Type } from 'ts-morph';
import { functionOf } from './url-shape.js';

/** What an expression is, as a way to the main server. */
export type ClientKind = 'axios' | 'got' | 'node-http' | 'other' | 'unknown';

const MAX_DEPTH = 6;

/**
 * What a value is as an HTTP client: by its type when the checker knows it (`this.#api` declared as an
 * `AxiosInstance`, `api` imported from a module that made it with `axios.create`), else by following the value to
 * where it was made (`require('axios')`, `got.extend(…)`, a function returning one, `(await import('got')).default`).
 */
export function clientKind(node: Node, depth = 0): ClientKind {
  if (depth > MAX_DEPTH) return 'unknown';
  const byType = kindOfType(node.getType());
  if (byType !== 'unknown') return byType;
  return traced(node, depth);
}

function kindOfType(type: Type): ClientKind {
  if (type.isAny() || type.isUnknown()) return 'unknown';
  // What a promise holds: `loadGot()` resolves to the client.
  if (type.getSymbol()?.getName() === 'Promise') {
    const [held] = type.getTypeArguments();
    return held ? kindOfType(held) : 'unknown';
  }
  // By symbol, not by printing the type: a client's type (got's) prints to pages.
  const names = [type.getSymbol()?.getName(), type.getAliasSymbol()?.getName()];
  if (names.some((n) => n !== undefined && /^"(node:)?https?"$/.test(n))) return 'node-http';
  if (names.some((n) => n === 'AxiosInstance' || n === 'AxiosStatic')) return 'axios';
  if (names.some((n) => n === 'Got')) return 'got';
  const properties = new Set(type.getApparentProperties().map((p) => p.getName()));
  if (properties.has('interceptors') && properties.has('defaults') && properties.has('getUri')) return 'axios';
  if (properties.has('extend') && properties.has('paginate') && properties.has('defaults')) return 'got';
  if (type.isUnion()) {
    const kinds = new Set(type.getUnionTypes().map(kindOfType));
    if (kinds.size === 1) return [...kinds][0] as ClientKind;
  }
  return type.isObject() || type.isString() || type.isNumber() ? 'other' : 'unknown';
}

function moduleKind(specifier: string): ClientKind {
  if (specifier === 'axios') return 'axios';
  if (specifier === 'got') return 'got';
  if (/^(node:)?https?$/.test(specifier)) return 'node-http';
  return 'unknown';
}

function traced(node: Node, depth: number): ClientKind {
  if (Node.isParenthesizedExpression(node) || Node.isAwaitExpression(node) || Node.isAsExpression(node)) {
    return clientKind(node.getExpression(), depth + 1);
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (Node.isIdentifier(callee) && callee.getText() === 'require') {
      const [specifier] = node.getArguments();
      return Node.isStringLiteral(specifier) ? moduleKind(specifier.getLiteralText()) : 'unknown';
    }
    if (callee.getKind() === SyntaxKind.ImportKeyword) {
      const [specifier] = node.getArguments();
      return Node.isStringLiteral(specifier) ? moduleKind(specifier.getLiteralText()) : 'unknown';
    }
    if (Node.isPropertyAccessExpression(callee) && ['create', 'extend'].includes(callee.getName())) {
      const made = clientKind(callee.getExpression(), depth + 1);
      if (made === 'axios' || made === 'got') return made;
    }
    const name = Node.isIdentifier(callee)
      ? callee
      : Node.isPropertyAccessExpression(callee)
        ? callee.getNameNode()
        : undefined;
    const fn = name ? functionOf(name) : undefined;
    if (fn) return returnedKind(fn, depth);
    return 'unknown';
  }
  if (Node.isPropertyAccessExpression(node) && node.getName() === 'default') {
    return clientKind(node.getExpression(), depth + 1);
  }
  if (Node.isIdentifier(node)) return identifierKind(node, depth);
  return 'unknown';
}

/** A name: what it was declared with, imported from, or assigned. */
function identifierKind(identifier: Node, depth: number): ClientKind {
  const symbol = identifier.getSymbol();
  const kinds = new Set<ClientKind>();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    if (
      Node.isImportClause(declaration) ||
      Node.isImportSpecifier(declaration) ||
      Node.isNamespaceImport(declaration)
    ) {
      const importDeclaration = declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
      const own = importDeclaration ? moduleKind(importDeclaration.getModuleSpecifierValue()) : 'unknown';
      if (own !== 'unknown') kinds.add(own);
      else {
        const aliased = symbol?.getAliasedSymbol()?.getDeclarations()[0];
        if (aliased) kinds.add(declarationKind(aliased, depth));
      }
      continue;
    }
    kinds.add(declarationKind(declaration, depth));
  }
  // A variable declared empty and assigned later (`let client; … client = got.extend(…)`).
  const declaration = symbol?.getDeclarations()[0];
  if (Node.isVariableDeclaration(declaration) && declaration.getInitializer() === undefined) {
    for (const value of assignedValues(declaration.getSourceFile(), identifier.getText()))
      kinds.add(clientKind(value, depth + 1));
  }
  kinds.delete('unknown');
  return kinds.size === 1 ? ([...kinds][0] as ClientKind) : 'unknown';
}

const assignments = new WeakMap<Node, Map<string, Node[]>>();

/** The values assigned to each name in a file (`name = value`), read once per file. */
export function assignedValues(file: Node, name: string): readonly Node[] {
  let byName = assignments.get(file);
  if (byName === undefined) {
    byName = new Map();
    for (const binary of file.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      if (binary.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      const left = binary.getLeft();
      if (!Node.isIdentifier(left)) continue;
      const list = byName.get(left.getText()) ?? [];
      list.push(binary.getRight());
      byName.set(left.getText(), list);
    }
    assignments.set(file, byName);
  }
  return byName.get(name) ?? [];
}

function declarationKind(declaration: Node, depth: number): ClientKind {
  if (Node.isVariableDeclaration(declaration)) {
    const initializer = declaration.getInitializer();
    const name = declaration.getNameNode();
    if (initializer === undefined) return 'unknown';
    if (Node.isObjectBindingPattern(name)) return 'unknown';
    return clientKind(initializer, depth + 1);
  }
  if (Node.isFunctionDeclaration(declaration)) return 'other';
  if (Node.isExportAssignment(declaration)) return clientKind(declaration.getExpression(), depth + 1);
  if (Node.isBinaryExpression(declaration)) return clientKind(declaration.getRight(), depth + 1);
  if (Node.isPropertyAccessExpression(declaration)) {
    const parent = declaration.getParent();
    return Node.isBinaryExpression(parent) ? clientKind(parent.getRight(), depth + 1) : 'unknown';
  }
  if (Node.isShorthandPropertyAssignment(declaration) || Node.isPropertyAssignment(declaration)) {
    const value = Node.isPropertyAssignment(declaration) ? declaration.getInitializer() : declaration.getNameNode();
    return value ? clientKind(value, depth + 1) : 'unknown';
  }
  return 'unknown';
}

function returnedKind(fn: Node, depth: number): ClientKind {
  const body = (fn as Node & { getBody?(): Node | undefined }).getBody?.();
  if (body === undefined) return 'unknown';
  if (!Node.isBlock(body)) return clientKind(body, depth + 1);
  const kinds = new Set<ClientKind>();
  for (const ret of body.getDescendantsOfKind(SyntaxKind.ReturnStatement)) {
    const expression = ret.getExpression();
    if (expression) kinds.add(clientKind(expression, depth + 1));
  }
  kinds.delete('unknown');
  return kinds.size === 1 ? ([...kinds][0] as ClientKind) : 'unknown';
}

/** Whether `fetch` here is the platform's (not a function of the worker's own). */
export function isGlobalFetch(callee: Node): boolean {
  if (Node.isPropertyAccessExpression(callee)) {
    return (
      callee.getName() === 'fetch' && ['globalThis', 'global', 'window'].includes(callee.getExpression().getText())
    );
  }
  if (!Node.isIdentifier(callee) || callee.getText() !== 'fetch') return false;
  const declarations = callee.getSymbol()?.getDeclarations() ?? [];
  return declarations.every((d) => d.getSourceFile().isDeclarationFile());
}
