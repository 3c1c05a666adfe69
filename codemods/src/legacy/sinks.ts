import { type CallExpression, Node, type SourceFile, SyntaxKind } from 'ts-morph';
import { clientKind, isGlobalFetch } from './clients.js';
import { kindOf, shapeOf, type UrlKind } from './url-shape.js';

/** How a request leaves the worker, which decides how its call is rewritten. */
export type SinkForm = 'fetch' | 'axios' | 'axiosCall' | 'axiosRequest' | 'got' | 'gotCall' | 'client' | 'node-http';

/**
 * An update sink: a call that sends recipient events or a status to the main server (or may, as far as the source
 * tells: a generic `request(method, url, body)` wrapper's fetch is one, its URL known only at run time).
 */
export interface Sink {
  readonly file: string;
  readonly line: number;
  readonly call: CallExpression;
  readonly form: SinkForm;
  /** What its URL says it updates (`either`: decided at run time, from the URL the call is given). */
  readonly kind: Exclude<UrlKind, 'none'>;
  /** The HTTP method when the source tells it. */
  readonly method: string | undefined;
  /** The client (`apiClient`, `this.http`, `axios`, `fetch`) as written. */
  readonly clientText: string;
  /** The method called on the client (`post`), for the method forms. */
  readonly methodName: string | undefined;
  /** The function the call sits in, when its URL or body comes in through that function's parameters. */
  readonly wrapper: string | undefined;
  /** The call as written, shortened for a report. */
  readonly text: string;
  /** The URL expression the call is given, when the source names one. */
  readonly url: Node | undefined;
}

const REQUEST = /(?<![.\w$])(fetch|axios|got)\s*\(|\.\s*(post|put|patch|request)\s*[(<]|globalThis\.fetch/;
const WRITE_METHODS = new Set(['post', 'put', 'patch']);
const READS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** The value of a property of an object literal argument, followed through a constant. */
function property(node: Node | undefined, name: string): Node | undefined | null {
  if (node === undefined) return null;
  let object: Node | undefined = node;
  if (Node.isIdentifier(object)) {
    const declaration = object.getSymbol()?.getDeclarations()[0];
    object = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  }
  if (!Node.isObjectLiteralExpression(object)) return undefined;
  const found = object.getProperty(name);
  if (found === undefined) return object.getProperties().some((p) => Node.isSpreadAssignment(p)) ? undefined : null;
  if (Node.isPropertyAssignment(found)) return found.getInitializer();
  if (Node.isShorthandPropertyAssignment(found)) return found.getNameNode();
  return undefined;
}

/** The method an options object names: its text when literal, undefined when known only at run time, GET by default. */
function methodOf(options: Node | undefined): string | undefined {
  const value = property(options, 'method');
  if (value === null) return 'GET';
  if (value !== undefined && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))) {
    return value.getLiteralText().toUpperCase();
  }
  return undefined;
}

function enclosingFunction(node: Node): Node | undefined {
  return node.getFirstAncestor(
    (a) =>
      Node.isFunctionDeclaration(a) ||
      Node.isFunctionExpression(a) ||
      Node.isArrowFunction(a) ||
      Node.isMethodDeclaration(a),
  );
}

/** The enclosing function's name when the URL comes from one of its parameters. */
function wrapperOf(call: CallExpression, url: Node | undefined): string | undefined {
  const fn = enclosingFunction(call);
  if (fn === undefined || url === undefined) return undefined;
  const parameters = new Set(
    (fn as Node & { getParameters(): Node[] }).getParameters().map((p) => p.getText().split(/[=:\s]/)[0]),
  );
  const reads = [url, ...url.getDescendantsOfKind(SyntaxKind.Identifier)].filter((n) => Node.isIdentifier(n));
  if (!reads.some((n) => parameters.has(n.getText()))) return undefined;
  const named = fn as Node & { getName?(): string | undefined };
  const name = named.getName?.();
  if (name) return name;
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent)) return parent.getName();
  return 'a function';
}

function short(call: CallExpression): string {
  const text = call.getText().replace(/\s+/g, ' ');
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

/**
 * The update sinks of one file: every fetch, axios or got call that writes (POST, PUT, PATCH, or a method known only
 * at run time) to a URL that is, or may be, a campaign's events or status endpoint; clients are told apart by type
 * and by following values across files. Requests through node's http.request are sinks too, of a form no call-site
 * rewrite reaches.
 */
export function findSinks(file: SourceFile, path: string): Sink[] {
  const sinks: Sink[] = [];
  // Types are asked for only in a file that makes a request at all, so a tree already rewritten costs no checker.
  if (!REQUEST.test(file.getFullText())) return sinks;
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const sink = sinkOf(call, path);
    if (sink) sinks.push(sink);
  }
  return sinks;
}

/** The names a file binds to axios or got (imported, required, or by their usual names): the only plain calls worth a type. */
function mayBeCallableClient(callee: Node): boolean {
  const name = callee.getText();
  if (/^(axios|got|http|https|client|request|api)$/i.test(name)) return true;
  const file = callee.getSourceFile();
  let names = clientNames.get(file);
  if (names === undefined) {
    names = new Set();
    const text = file.getFullText();
    for (const match of text.matchAll(
      /(?:import\s+(\w+)[^;]*?from\s*|(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+)?(?:require|import)\(\s*)['"](axios|got)['"]/g,
    )) {
      names.add(match[1] ?? match[2] ?? '');
    }
    clientNames.set(file, names);
  }
  return names.has(name);
}

const clientNames = new WeakMap<Node, Set<string>>();

function sinkOf(call: CallExpression, path: string): Sink | undefined {
  const callee = call.getExpression();
  const args = call.getArguments();
  const make = (
    form: SinkForm,
    url: Node | undefined,
    method: string | undefined,
    clientText: string,
    methodName?: string,
  ): Sink | undefined => {
    if (method !== undefined && READS.has(method)) return undefined;
    const kind = kindOf(shapeOf(url));
    if (kind === 'none') return undefined;
    return {
      file: path,
      line: call.getStartLineNumber(),
      call,
      form,
      kind,
      method,
      clientText,
      methodName,
      wrapper: wrapperOf(call, url),
      text: short(call),
      url,
    };
  };
  if (isGlobalFetch(callee)) return make('fetch', args[0], methodOf(args[1]), callee.getText());
  if (Node.isPropertyAccessExpression(callee)) {
    const object = callee.getExpression();
    const name = callee.getName();
    if (object.getKind() === SyntaxKind.SuperKeyword) return undefined;
    if (WRITE_METHODS.has(name)) {
      const kind = clientKind(object);
      if (kind === 'axios') return make('axios', args[0], name.toUpperCase(), object.getText(), name);
      if (kind === 'got') return make('got', args[0], name.toUpperCase(), object.getText(), name);
      // A client the source does not tell (an injected dependency): decided at run time, for an update URL only.
      if (kind === 'unknown') {
        const sink = make('client', args[0], name.toUpperCase(), object.getText(), name);
        return sink && sink.kind !== 'either' ? sink : undefined;
      }
      return undefined;
    }
    if (name === 'request') {
      const kind = clientKind(object);
      if (kind === 'axios')
        return make('axiosRequest', property(args[0], 'url') ?? undefined, methodOf(args[0]), object.getText());
      if (kind === 'node-http') return make('node-http', args[0], methodOf(args[1] ?? args[0]), object.getText());
    }
    return undefined;
  }
  if (Node.isIdentifier(callee) && mayBeCallableClient(callee)) {
    const kind = clientKind(callee);
    if (kind === 'axios') {
      const url = Node.isObjectLiteralExpression(args[0]) ? (property(args[0], 'url') ?? undefined) : args[0];
      return make(
        'axiosCall',
        url,
        methodOf(Node.isObjectLiteralExpression(args[0]) ? args[0] : args[1]),
        callee.getText(),
      );
    }
    if (kind === 'got') return make('gotCall', args[0], methodOf(args[1]), callee.getText());
  }
  return undefined;
}
