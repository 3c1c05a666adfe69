import type { Collection, JSCodeshift } from 'jscodeshift';
import { type Endpoints, helperEndpoints } from '../../analysis/endpoints.js';
import { followName, type Node, propertyValue } from '../../analysis/syntax.js';
import { moduleNames, namesRead } from '../../analysis/unused.js';
import { calleeName, type UpdateHelper } from '../../analysis/updates.js';
import type { DirectCall } from '../hotfix-throttle/direct-calls.js';
import { DEFAULT_PATHS, directPath } from './server-url.js';
import type { TransportExtras } from './shared-scheduler.js';

/** The endpoints and headers of the helpers called here, read where they are defined (with ts-morph). */
export function helperTransport(
  j: JSCodeshift,
  root: Collection,
  path: string,
  helpers: Map<string, UpdateHelper>,
): Endpoints {
  const called = new Set(
    root
      .find(j.CallExpression)
      .nodes()
      .map((call) => calleeName(call.callee)),
  );
  const used = [...helpers.values()].filter((helper) => called.has(helper.callee));
  return used.length > 0 && path.includes('/') ? helperEndpoints(path, used) : { notes: [] };
}

/** The headers a direct call sends: fetch's `init.headers`, got's `options.headers`, axios's `config.headers`. */
function headersOf(call: DirectCall): Node {
  const args = call.path.node.arguments as Node[];
  return propertyValue(call.library === 'axios' ? args[2] : args[1], 'headers');
}

/**
 * What a direct call's headers become in `createHttpTransport({ headers })`: their text, without Content-Type (the
 * transport sets it), when they read nothing but module-level names and `process.env` (the transport is built at
 * module level); a note otherwise.
 */
function transportHeaders(j: JSCodeshift, root: Collection, call: DirectCall, notes: string[]): string | undefined {
  const headers = headersOf(call);
  if (!headers) return undefined;
  const line = call.path.node.loc?.start.line;
  const module = moduleNames(j, root);
  const reachable = namesRead(j, headers).every((name) => module.has(name) || name === 'process');
  if (!reachable) {
    notes.push(
      `line ${line}: the ${call.kind} request sends headers built from local values: add them to the transport's headers`,
    );
    return undefined;
  }
  if (headers.type !== 'ObjectExpression') return j(headers).toSource();
  const kept = headers.properties.filter(
    (p: Node) => !/^content-type$/i.test(String(p.key?.name ?? p.key?.value ?? '')),
  );
  return kept.length > 0 ? `{ ${kept.map((p: Node) => j(p).toSource()).join(', ')} }` : undefined;
}

/**
 * The transport's options beyond the base URL: the helpers' endpoints and headers, then what the direct calls carry
 * in place (their URL's path, the campaign named `campaignId`, and their headers). What cannot be read is noted.
 */
export function transportExtras(
  j: JSCodeshift,
  root: Collection,
  calls: Iterable<DirectCall>,
  found: Endpoints,
  notes: string[],
): TransportExtras {
  const extras: { events?: string | undefined; status?: string | undefined; headers?: string | undefined } = {
    events: found.events,
    status: found.status,
    headers: found.headers,
  };
  const instances = new Set<string>();
  for (const call of calls) {
    if (call.client !== call.library && !instances.has(call.client)) {
      instances.add(call.client);
      notes.push(
        `the updates go through ${call.client} (made with ${call.library === 'axios' ? 'axios.create' : 'got.extend'}): its base URL and headers are not carried; set them on the transport`,
      );
    }
    const path = directPath(j, followName(j, root, call.path.node.arguments[0] as Node));
    if (path === undefined) {
      const line = call.path.node.loc?.start.line;
      notes.push(`line ${line}: the ${call.kind} URL could not be read: the default endpoint is assumed`);
    } else if (path !== DEFAULT_PATHS[call.kind]) extras[call.kind] ??= `(campaignId) => \`${path}\``;
    extras.headers ??= transportHeaders(j, root, call, notes);
  }
  return extras;
}
