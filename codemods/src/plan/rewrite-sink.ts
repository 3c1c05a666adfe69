import { SyntaxKind } from 'ts-morph';
import type { Sink } from '../legacy/sinks.js';
import type { Decision } from './Plan.js';

/**
 * The decision that routes a sink through the generated module: `client.post(url, body)` becomes
 * `serverUpdates.axios(client, 'post', url, body)`, the arguments left exactly as written (so they are evaluated
 * once, as before, comments and all). Only the callee and the opening parenthesis are replaced.
 */
export function rewriteSink(sink: Sink, helper: string, why: string): Decision {
  const { call } = sink;
  const open = call.getFirstChildByKind(SyntaxKind.OpenParenToken);
  if (open === undefined) {
    return {
      action: 'refuse',
      file: sink.file,
      line: sink.line,
      why: `${sink.text}: a call without parentheses`,
      sink,
    };
  }
  const method = sink.methodName === undefined ? '' : `, '${sink.methodName}'`;
  const rest = call.getArguments().length > 0 ? ', ' : '';
  return {
    action: 'replace',
    file: sink.file,
    line: sink.line,
    start: call.getStart(),
    end: open.getEnd(),
    text: `serverUpdates.${helper}(${sink.clientText}${method}${rest}`,
    usesModule: true,
    sink,
    why,
  };
}

/** What a sink sends, for a report: its events, its status, or (decided at run time) whichever its URL names. */
export function sends(sink: Sink): string {
  return sink.kind === 'either'
    ? 'an update (events or status, by its URL at run time)'
    : sink.kind === 'events'
      ? 'events'
      : 'a status';
}
