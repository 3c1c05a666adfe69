import type { ASTPath, CallExpression, Collection, JSCodeshift, ObjectExpression } from 'jscodeshift';
import { followName, type Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';

/** A request made straight to an update endpoint, and how to rebuild it as a throttled call. */
export interface DirectCall {
  readonly path: ASTPath<CallExpression>;
  readonly kind: 'events' | 'status';
  /** The HTTP client it goes through: `fetch`, `axios`, `got`, or an instance (`const http = axios.create(…)`). */
  readonly client: string;
  /** The library behind the client, which says where the body and the options are. */
  readonly library: 'fetch' | 'axios' | 'got';
  /** Name of the throttled function, e.g. `throttledFetchEvents`. */
  readonly name: string;
  /** Its declaration(s), shared by every call of the same kind. */
  readonly declaration: string;
  /** The new arguments of the call. */
  readonly args: CallExpression['arguments'];
}

type Argument = CallExpression['arguments'][number];
type Plan = Omit<DirectCall, 'path' | 'kind' | 'client' | 'library'>;

const UPDATE_URL = /\/(events|status)\b/;
const THROTTLE = 'updateThrottle';
const WRITE = /^(POST|PUT|PATCH)$/i;

function property(object: ObjectExpression, name: string) {
  return object.properties.find(
    (p) => (p.type === 'ObjectProperty' || p.type === 'Property') && p.key.type === 'Identifier' && p.key.name === name,
  ) as { value: Argument } | undefined;
}

/** `{ events: E }` (or `{ events }`) and nothing else: anything more could not be rebuilt safely. */
function eventsOf(j: JSCodeshift, value: unknown, line: number | undefined): Argument {
  const object = value as ObjectExpression;
  if (object?.type !== 'ObjectExpression' || object.properties.length !== 1 || !property(object, 'events')) {
    throw new TransformSkip(
      `the events are not sent as { events } here, so they cannot be merged safely: ${j(object as never).toSource()}`,
      line,
    );
  }
  return (property(object, 'events') as { value: Argument }).value;
}

/** The object without one property; parsed from text, so the printer keeps it on one line as it was. */
function without(j: JSCodeshift, object: ObjectExpression, name: string): ObjectExpression {
  const kept = object.properties.filter((p) => p !== (property(object, name) as unknown));
  const text = `const o = { ${kept.map((p) => j(p as never).toSource()).join(', ')} };`;
  return j(text).find(j.VariableDeclarator).get().node.init;
}

/**
 * The key of a direct call: its URL as text (it names the campaign and the endpoint; a `new URL(…)` is a new object
 * at every call). In TypeScript it reads the URL from the arguments as a whole: a typed `(url) => …` would make
 * TypeScript take the key's one parameter as all of them.
 */
function urlKey(typed: boolean): string {
  return typed ? '(...args) => String(args[0])' : '(url) => String(url)';
}

/** `(url, events, options)`, typed in TypeScript with the type of the options. */
function eventsParams(typed: boolean, options: string, optionsType: string): string {
  return typed
    ? `url: string | URL, events: readonly unknown[], ${options}?: ${optionsType}`
    : `url, events, ${options}`;
}

function eventsDeclaration(name: string, call: string, typed: boolean, optionsType: string): string {
  // Events merge with the deferred call's, and are copied at call time: the worker clears its buffer right after.
  return [
    `const ${name}Merged = ${THROTTLE}.wrap(${call}, {`,
    `  key: ${urlKey(typed)},`,
    '  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],',
    '});',
    `const ${name} = (${eventsParams(typed, 'options', optionsType)}) => ${name}Merged(url, [...events], options);`,
  ].join('\n');
}

/**
 * Options carrying an AbortSignal made where the request is written (`signal: AbortSignal.timeout(5000)`): a call the
 * throttle defers runs up to 15 s later, when the signal may already have fired. Such a file is refused.
 */
function refuseSignal(j: JSCodeshift, options: Node, line: number | undefined): void {
  const signal = options?.type === 'ObjectExpression' ? property(options, 'signal')?.value : undefined;
  if (signal) {
    throw new TransformSkip(
      `the request's signal (${j(signal as never).toSource()}) would already have fired when the throttle sends it later`,
      line,
    );
  }
}

const capital = (text: string) => `${text[0]?.toUpperCase()}${text.slice(1)}`;

/** The method a fetch call uses: its `init.method` when literal, GET when absent, undefined when computed. */
function fetchMethod(init: Node): string | undefined {
  if (init?.type !== 'ObjectExpression') return init === undefined ? 'GET' : undefined;
  const method = property(init, 'method')?.value as Node;
  if (method === undefined) return 'GET';
  return typeof method.value === 'string' ? method.value : undefined;
}

/** A fetch to an update endpoint: the status passes as it is, the events' body is rebuilt from `{ events }`. */
function planFetch(j: JSCodeshift, call: CallExpression, kind: 'events' | 'status', typed: boolean): Plan | undefined {
  const [url, init] = call.arguments as Node[];
  const method = fetchMethod(init);
  if (method !== undefined && !WRITE.test(method)) return undefined; // a read (`GET …/status`) is not an update
  const line = call.loc?.start.line;
  refuseSignal(j, init, line);
  if (kind === 'status') {
    const params = typed ? 'url: string | URL, init?: RequestInit' : 'url, init';
    return {
      name: 'throttledFetchStatus',
      args: call.arguments,
      declaration: `const throttledFetchStatus = ${THROTTLE}.wrap((${params}) => fetch(url, init), { key: ${urlKey(typed)} });`,
    };
  }
  const body = property(init, 'body')?.value as Node;
  if (body?.type !== 'CallExpression' || j(body.callee).toSource() !== 'JSON.stringify')
    throw new TransformSkip('the events body is not JSON.stringify({ events }) here', line);
  const events = eventsOf(j, body.arguments[0], line);
  const send = `(${eventsParams(typed, 'init', 'RequestInit')}) => fetch(url, { ...init, body: JSON.stringify({ events }) })`;
  return {
    name: 'throttledFetchEvents',
    args: [url, events, without(j, init, 'body')],
    declaration: eventsDeclaration('throttledFetchEvents', send, typed, 'RequestInit'),
  };
}

/**
 * An axios or got call (or one of an instance's) to an update endpoint. In TypeScript the wrappers' parameters are
 * spelled out: the libraries' generic and overloaded signatures do not survive `Parameters<…>`.
 */
function planLibrary(
  j: JSCodeshift,
  call: CallExpression,
  kind: 'events' | 'status',
  typed: boolean,
  { client, lib, method }: { client: string; lib: 'axios' | 'got'; method: string },
): Plan {
  const [url, second, third] = call.arguments;
  const line = call.loc?.start.line;
  refuseSignal(j, lib === 'axios' ? third : second, line);
  const name = `throttled${capital(client)}${capital(method)}${capital(kind)}`;
  const send = `${client}.${method}`;
  const axiosConfig = `Parameters<typeof ${send}>[2]`;
  if (kind === 'status') {
    const sender = !typed
      ? `(...args) => ${send}(...args)`
      : lib === 'axios'
        ? `(url: string, status: unknown, config?: ${axiosConfig}) => ${send}(url, status, config)`
        : `(url: string | URL, options?: Record<string, unknown>) => ${send}(url, options)`;
    return {
      name,
      args: call.arguments,
      declaration: `const ${name} = ${THROTTLE}.wrap(${sender}, { key: ${urlKey(typed)} });`,
    };
  }
  if (lib === 'axios') {
    const events = eventsOf(j, second, line);
    const sender = `(${eventsParams(typed, 'config', axiosConfig)}) => ${send}(${typed ? 'String(url)' : 'url'}, { events }, config)`;
    return {
      name,
      args: third ? [url as Argument, events, third] : [url as Argument, events],
      declaration: eventsDeclaration(name, sender, typed, axiosConfig),
    };
  }
  const options = second as ObjectExpression;
  if (options?.type !== 'ObjectExpression' || !property(options, 'json'))
    throw new TransformSkip('the events are not sent as got(…, { json: { events } }) here', line);
  const events = eventsOf(j, property(options, 'json')?.value, line);
  const sender = `(${eventsParams(typed, 'options', 'Record<string, unknown>')}) => ${send}(url, { ...options, json: { events } })`;
  return {
    name,
    args: [url as Argument, events, without(j, options, 'json')],
    declaration: eventsDeclaration(name, sender, typed, 'Record<string, unknown>'),
  };
}

/** The HTTP clients a file uses: `axios`, `got`, and instances made with `axios.create(…)` or `got.extend(…)`. */
function clientsOf(j: JSCodeshift, root: Collection): Map<string, 'axios' | 'got'> {
  const clients = new Map<string, 'axios' | 'got'>([
    ['axios', 'axios'],
    ['got', 'got'],
  ]);
  const factoryOf = (init: Node) => {
    const factory = init?.type === 'CallExpression' ? j(init.callee).toSource() : '';
    return factory === 'axios.create' ? 'axios' : factory === 'got.extend' ? 'got' : undefined;
  };
  root.find(j.VariableDeclarator).forEach((path) => {
    const { id, init } = path.node as Node;
    const lib = factoryOf(init);
    if (lib && id.type === 'Identifier') clients.set(id.name, lib);
  });
  return clients;
}

/**
 * `got.post(…).json()`: a call whose result is used as the library's own object. The throttle gives back a plain
 * promise, so such a file is refused (`.then`, `.catch` and `.finally` work on any promise and are fine).
 */
export function refuseChain(j: JSCodeshift, path: ASTPath<CallExpression>): void {
  const parent = path.parent?.node as Node;
  if (
    parent?.type === 'MemberExpression' &&
    parent.object === path.node &&
    !/^(then|catch|finally)$/.test(parent.property?.name)
  ) {
    throw new TransformSkip(
      `${j(path.node.callee).toSource()}(…).${parent.property?.name}(…) needs the library's own result, which a throttled call does not give`,
      path.node.loc?.start.line,
    );
  }
}

/**
 * Calls that look like update posts in a form the transform does not rewrite (`axios({ method: 'post', url })`,
 * `this.http.post(…)` on an instance a module-level throttle cannot reach, `request.post(…)`): a file with one is
 * refused, so no update goes unthrottled beside the others.
 */
export function unhandledUpdateCalls(j: JSCodeshift, root: Collection, handled: readonly DirectCall[]): Node[] {
  const known = new Set(handled.map((call) => call.path.node));
  return root
    .find(j.CallExpression)
    .filter((path) => {
      if (known.has(path.node)) return false;
      const callee = j(path.node.callee).toSource();
      if (!/^(fetch|axios|got|request|superagent)$|\.(post|put|patch|request)$/.test(callee)) return false;
      const [first] = path.node.arguments as Node[];
      if (callee === 'fetch' && first && fetchMethod(path.node.arguments[1]) === 'GET') return false;
      return path.node.arguments.some((arg) => UPDATE_URL.test(j(followName(j, root, arg)).toSource()));
    })
    .nodes();
}

/** Finds the fetch, axios and got calls that write to update endpoints and plans their throttled replacements. */
export function findDirectCalls(j: JSCodeshift, root: Collection, typed = false): DirectCall[] {
  const clients = clientsOf(j, root);
  return root
    .find(j.CallExpression)
    .paths()
    .flatMap((path): DirectCall[] => {
      const callee = j(path.node.callee).toSource();
      const [url] = path.node.arguments;
      const kind =
        url && (UPDATE_URL.exec(j(followName(j, root, url)).toSource())?.[1] as 'events' | 'status' | undefined);
      if (!kind) return [];
      refuseChain(j, path);
      if (callee === 'fetch') {
        const plan = planFetch(j, path.node, kind, typed);
        return plan ? [{ path, kind, client: 'fetch', library: 'fetch', ...plan }] : [];
      }
      const [, client, method] = /^([\w$]+)\.(post|put|patch)$/.exec(callee) ?? [];
      const lib = clients.get(client ?? '');
      if (!client || !method || !lib) return [];
      return [{ path, kind, client, library: lib, ...planLibrary(j, path.node, kind, typed, { client, lib, method }) }];
    });
}

/** Rewrites the planned calls; returns the declarations to add (one per throttled function). */
export function rewriteDirectCalls(j: JSCodeshift, calls: readonly DirectCall[]): string[] {
  for (const call of calls) {
    call.path.node.callee = j.identifier(call.name);
    call.path.node.arguments = [...call.args];
  }
  return [...new Map(calls.map((call) => [call.name, call.declaration])).values()];
}
