import type { ASTPath, CallExpression, Collection, JSCodeshift, ObjectExpression } from 'jscodeshift';
import { TransformSkip } from '../../transform.js';

/** A request made straight to an update endpoint, and how to rebuild it as a throttled call. */
interface DirectCall {
  readonly path: ASTPath<CallExpression>;
  readonly kind: 'events' | 'status';
  /** Name of the throttled function, e.g. `throttledFetchEvents`. */
  readonly name: string;
  /** Its declaration(s), shared by every call of the same kind. */
  readonly declaration: string;
  /** The new arguments of the call. */
  readonly args: CallExpression['arguments'];
}

const UPDATE_URL = /\/(events|status)\b/;
const THROTTLE = 'updateThrottle';

function property(object: ObjectExpression, name: string) {
  return object.properties.find(
    (p) => (p.type === 'ObjectProperty' || p.type === 'Property') && p.key.type === 'Identifier' && p.key.name === name,
  ) as { value: CallExpression['arguments'][number] } | undefined;
}

/** `{ events: E }` (or `{ events }`) and nothing else: anything more could not be rebuilt safely. */
function eventsOf(j: JSCodeshift, value: unknown, line: number | undefined): CallExpression['arguments'][number] {
  const object = value as ObjectExpression;
  if (object?.type !== 'ObjectExpression' || object.properties.length !== 1 || !property(object, 'events')) {
    throw new TransformSkip(
      `the events are not sent as { events } here, so they cannot be merged safely: ${j(object as never).toSource()}`,
      line,
    );
  }
  return (property(object, 'events') as { value: CallExpression['arguments'][number] }).value;
}

function without(j: JSCodeshift, object: ObjectExpression, name: string): ObjectExpression {
  return j.objectExpression(object.properties.filter((p) => p !== (property(object, name) as unknown)));
}

/**
 * The key of a direct call: its URL, which names the campaign and the endpoint. In TypeScript it reads the URL from
 * the arguments as a whole: a typed `(url) => url` would make TypeScript take the key's one parameter as all of them.
 */
function urlKey(typed: boolean): string {
  return typed ? '(...args) => args[0]' : '(url) => url';
}

/** `(url, events, options)`, typed in TypeScript with the type of the options. */
function eventsParams(typed: boolean, options: string, optionsType: string): string {
  return typed ? `url: string, events: unknown[], ${options}?: ${optionsType}` : `url, events, ${options}`;
}

function eventsDeclaration(name: string, call: string, typed: boolean, optionsType: string): string {
  // The key is the URL (it names the campaign and the endpoint); events merge and are copied at call time.
  return [
    `const ${name}Merged = ${THROTTLE}.wrap(${call}, {`,
    `  key: ${urlKey(typed)},`,
    '  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],',
    '});',
    `const ${name} = (${eventsParams(typed, 'options', optionsType)}) => ${name}Merged(url, [...events], options);`,
  ].join('\n');
}

/**
 * The function a throttled status call goes through. In TypeScript its parameters are spelled out: the libraries'
 * generic and overloaded signatures do not survive `Parameters<…>` (a call would then take the wrong arity).
 */
function statusSender(lib: 'axios' | 'got', method: string, typed: boolean): string {
  if (!typed) return `(...args) => ${lib}.${method}(...args)`;
  return lib === 'axios'
    ? `(url: string, status: unknown, config?: Parameters<typeof axios.${method}>[2]) => axios.${method}(url, status, config)`
    : `(url: string, options?: Record<string, unknown>) => got.${method}(url, options)`;
}

/** Finds the fetch, axios and got calls to update endpoints and plans their throttled replacements. */
export function findDirectCalls(j: JSCodeshift, root: Collection, typed = false): DirectCall[] {
  return root
    .find(j.CallExpression)
    .paths()
    .flatMap((path): DirectCall[] => {
      const callee = j(path.node.callee).toSource();
      const [url, second, third] = path.node.arguments;
      if (!url || !UPDATE_URL.test(j(url).toSource())) return [];
      const kind = (UPDATE_URL.exec(j(url).toSource()) as RegExpExecArray)[1] as 'events' | 'status';
      const line = path.node.loc?.start.line;
      const Kind = kind === 'events' ? 'Events' : 'Status';
      if (callee === 'fetch') {
        if (kind === 'status') {
          return [
            {
              path,
              kind,
              name: 'throttledFetchStatus',
              args: path.node.arguments,
              declaration: `const throttledFetchStatus = ${THROTTLE}.wrap((${typed ? 'url: string, init?: RequestInit' : 'url, init'}) => fetch(url, init), { key: ${urlKey(typed)} });`,
            },
          ];
        }
        const init = second as ObjectExpression;
        const body =
          init?.type === 'ObjectExpression' ? (property(init, 'body')?.value as CallExpression | undefined) : undefined;
        if (body?.type !== 'CallExpression' || j(body.callee).toSource() !== 'JSON.stringify') {
          throw new TransformSkip('the events body is not JSON.stringify({ events }) here', line);
        }
        const events = eventsOf(j, body.arguments[0], line);
        return [
          {
            path,
            kind,
            name: 'throttledFetchEvents',
            args: [url, events, without(j, init, 'body')],
            declaration: eventsDeclaration(
              'throttledFetchEvents',
              `(${eventsParams(typed, 'init', 'RequestInit')}) => fetch(url, { ...init, body: JSON.stringify({ events }) })`,
              typed,
              'RequestInit',
            ),
          },
        ];
      }
      const library = /^(axios|got)\.(post|put|patch)$/.exec(callee);
      if (!library) return [];
      const [, lib, method] = library as unknown as [string, 'axios' | 'got', string];
      const name = `throttled${lib === 'axios' ? 'Axios' : 'Got'}${method[0]?.toUpperCase()}${method.slice(1)}${Kind}`;
      if (kind === 'status') {
        return [
          {
            path,
            kind,
            name,
            args: path.node.arguments,
            declaration: `const ${name} = ${THROTTLE}.wrap(${statusSender(lib, method, typed)}, { key: ${urlKey(typed)} });`,
          },
        ];
      }
      if (lib === 'axios') {
        const events = eventsOf(j, second, line);
        return [
          {
            path,
            kind,
            name,
            args: third ? [url, events, third] : [url, events],
            declaration: eventsDeclaration(
              name,
              `(${eventsParams(typed, 'config', `Parameters<typeof axios.${method}>[2]`)}) => axios.${method}(url, { events }, config)`,
              typed,
              `Parameters<typeof axios.${method}>[2]`,
            ),
          },
        ];
      }
      const options = second as ObjectExpression;
      if (options?.type !== 'ObjectExpression' || !property(options, 'json')) {
        throw new TransformSkip('the events are not sent as got(…, { json: { events } }) here', line);
      }
      const events = eventsOf(j, property(options, 'json')?.value, line);
      return [
        {
          path,
          kind,
          name,
          args: [url, events, without(j, options, 'json')],
          declaration: eventsDeclaration(
            name,
            `(${eventsParams(typed, 'options', 'Record<string, unknown>')}) => got.${method}(url, { ...options, json: { events } })`,
            typed,
            'Record<string, unknown>',
          ),
        },
      ];
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

export type { DirectCall };
