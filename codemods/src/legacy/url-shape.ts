import { Node, SyntaxKind } from 'ts-morph';
import { assignedValues } from './clients.js';

/** A URL as far as the source tells it: its literal text, `*` where a value is known only at run time. */
export type UrlShape = string;

/** What a request's URL says it updates. */
export type UrlKind = 'events' | 'status' | 'either' | 'none';

const MAX_DEPTH = 6;

/**
 * The shape of a URL expression, following constants, template literals, concatenation, `new URL(path, base)` and
 * functions that build the URL from their arguments (`self.url(id, 'events')`), across files through the type
 * checker. What depends on a parameter or a value made at run time is `*`.
 */
export function shapeOf(node: Node | undefined, depth = 0, bound: ReadonlyMap<string, UrlShape> = new Map()): UrlShape {
  if (node === undefined || depth > MAX_DEPTH) return '*';
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      text += shapeOf(span.getExpression(), depth + 1, bound) + span.getLiteral().getLiteralText();
    }
    return text;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    return shapeOf(node.getLeft(), depth + 1, bound) + shapeOf(node.getRight(), depth + 1, bound);
  }
  if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node)) {
    return shapeOf(node.getExpression(), depth, bound);
  }
  if (Node.isIdentifier(node)) {
    const known = bound.get(node.getText());
    if (known !== undefined) return known;
    // A constant built from the bound parameters (`const url = \`${base}/${what}\``) keeps their shapes.
    return shapeOf(constantValue(node), depth + 1, bound);
  }
  if (Node.isNewExpression(node) && node.getExpression().getText() === 'URL') {
    const [path, base] = node.getArguments();
    const relative = shapeOf(path, depth + 1, bound);
    return /^[a-z]+:\/\//i.test(relative) ? relative : `${shapeOf(base, depth + 1, bound)}/${relative}`;
  }
  if (Node.isPropertyAccessExpression(node) && ['href', 'pathname'].includes(node.getName())) {
    return shapeOf(node.getExpression(), depth + 1, bound);
  }
  if (Node.isCallExpression(node)) return callShape(node, depth, bound);
  return '*';
}

/** The initializer of a constant (or a variable never assigned again), if the name is one. */
export function constantValue(identifier: Node): Node | undefined {
  const declarations = identifier.getSymbol()?.getDeclarations() ?? [];
  if (declarations.length !== 1) return undefined;
  const declaration = declarations[0];
  if (!Node.isVariableDeclaration(declaration)) return undefined;
  const initializer = declaration.getInitializer();
  if (initializer === undefined) return undefined;
  const list = declaration.getVariableStatement()?.getDeclarationKind();
  if (list !== 'const') {
    const name = declaration.getNameNode();
    if (!Node.isIdentifier(name) || assignedValues(declaration.getSourceFile(), name.getText()).length > 0)
      return undefined;
  }
  return initializer;
}

/** A URL built by a function: the shape of what it returns, its parameters bound to the arguments' shapes. */
function callShape(
  call: Node & { getExpression(): Node; getArguments(): Node[] },
  depth: number,
  bound: ReadonlyMap<string, UrlShape>,
): UrlShape {
  const callee = call.getExpression();
  const name = Node.isIdentifier(callee)
    ? callee
    : Node.isPropertyAccessExpression(callee)
      ? callee.getNameNode()
      : undefined;
  if (name === undefined) return '*';
  if (['encodeURIComponent', 'encodeURI', 'String', 'escape'].includes(name.getText())) return '*';
  const fn = functionOf(name);
  if (fn === undefined) return '*';
  const returned = returnedExpression(fn);
  if (returned === undefined) return '*';
  const args = new Map<string, UrlShape>();
  fn.getParameters().forEach((parameter, i) => {
    args.set(parameter.getName(), shapeOf(call.getArguments()[i], depth + 1, bound));
  });
  return shapeOf(returned, depth + 1, args);
}

type FunctionLike = Node & { getParameters(): Array<Node & { getName(): string }>; getBody(): Node | undefined };

/** The function a name refers to, if it is one declared in the source. */
export function functionOf(name: Node): FunctionLike | undefined {
  // An imported name stands for the function its module exports.
  const own = name.getSymbol();
  const symbol = own?.isAlias() ? own.getAliasedSymbol() : own;
  for (const declaration of symbol?.getDeclarations() ?? []) {
    const fn = asFunction(declaration);
    if (fn) return fn;
  }
  return undefined;
}

function asFunction(declaration: Node): FunctionLike | undefined {
  if (
    Node.isFunctionDeclaration(declaration) ||
    Node.isMethodDeclaration(declaration) ||
    Node.isFunctionExpression(declaration) ||
    Node.isArrowFunction(declaration)
  ) {
    return declaration as FunctionLike;
  }
  if (Node.isVariableDeclaration(declaration) || Node.isPropertyAssignment(declaration)) {
    const initializer = declaration.getInitializer();
    return initializer ? asFunction(initializer) : undefined;
  }
  if (Node.isBinaryExpression(declaration)) return asFunction(declaration.getRight());
  if (Node.isPropertyAccessExpression(declaration)) {
    const parent = declaration.getParent();
    return Node.isBinaryExpression(parent) ? asFunction(parent.getRight()) : undefined;
  }
  return undefined;
}

/** The one expression a function returns: an arrow's expression body, or a body holding a single `return`. */
function returnedExpression(fn: FunctionLike): Node | undefined {
  const body = fn.getBody();
  if (body === undefined) return undefined;
  if (!Node.isBlock(body)) return body;
  const returns = body
    .getDescendantsOfKind(SyntaxKind.ReturnStatement)
    .filter((r) => r.getFirstAncestor((a) => asFunction(a) !== undefined) === fn);
  return returns.length === 1 ? returns[0]?.getExpression() : undefined;
}

/** What a URL of this shape updates: a campaign's events, its status, either (known at run time), or neither. */
export function kindOf(shape: UrlShape): UrlKind {
  const path = shape.split(/[?#]/)[0] ?? '';
  if (/\/events\/?$/.test(path)) return 'events';
  if (/\/status\/?$/.test(path)) return 'status';
  if (path.endsWith('*')) return 'either';
  return 'none';
}
