import { Node, SyntaxKind } from 'ts-morph';
import type { WorkerFile } from '../../legacy/LegacyWorker.js';
import { findRetryLoops, type RetryLoop } from '../../legacy/retry-loop.js';
import type { Decision, Rule } from '../Plan.js';

type Edit = { start: number; end: number; text: string };

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The end of the line `at` is on, past its newline. */
function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end + 1;
}

/** The positions inside a string or template literal, whose lines must not be re-indented. */
function literalRanges(body: Node): Array<[number, number]> {
  return body
    .getDescendants()
    .filter(
      (n) =>
        Node.isStringLiteral(n) ||
        Node.isNoSubstitutionTemplateLiteral(n) ||
        Node.isTemplateExpression(n) ||
        n.getKind() === SyntaxKind.JsxText,
    )
    .map((n) => [n.getStart(), n.getEnd()]);
}

/**
 * The edits that leave one pass of a retry loop's body where the loop was: its head and closing brace cut (a counter
 * the body reads declared once, with its first value), its lines re-indented, and the statements that only served
 * the repetition (a trailing `break` or `continue`, a sleep before the next try) taken out. Comments stay.
 */
function onePass(found: RetryLoop, text: string): Edit[] {
  const { loop, body } = found;
  const open = body.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
  const close = body.getLastChildByKindOrThrow(SyntaxKind.CloseBraceToken);
  const statements = (body as Node & { getStatements(): Node[] }).getStatements();
  const first = statements[0];
  const edits: Edit[] = [];
  const loopLine = lineStart(text, loop.getStart());
  const loopIndent = text.slice(loopLine, loop.getStart());
  const innerIndent = first ? text.slice(lineStart(text, first.getStart()), first.getStart()) : loopIndent;
  const depth =
    /^\s*$/.test(innerIndent) && innerIndent.startsWith(loopIndent) ? innerIndent.length - loopIndent.length : 0;
  const headRest = text.slice(open.getEnd(), lineEnd(text, open.getEnd()));
  const declare = found.counter ? `const ${found.counter.name} = ${found.counter.first};` : '';
  if (/^\s*$/.test(headRest) && /^\s*$/.test(loopIndent) && declare === '') {
    edits.push({ start: loopLine, end: lineEnd(text, open.getEnd()), text: '' });
  } else {
    edits.push({ start: loop.getStart(), end: open.getEnd(), text: declare });
  }
  // The closing brace (and a do-while's test) with the line it is on, when nothing else is on it.
  const tailEnd = loop.getEnd();
  const closeLine = lineStart(text, close.getStart());
  const onItsOwn =
    /^\s*$/.test(text.slice(closeLine, close.getStart())) &&
    /^\s*$/.test(text.slice(tailEnd, lineEnd(text, tailEnd)).replace(/\n$/, ''));
  if (onItsOwn) edits.push({ start: closeLine, end: lineEnd(text, tailEnd), text: '' });
  else edits.push({ start: close.getStart(), end: tailEnd, text: '' });

  const dropped: Array<[number, number]> = [];
  for (const statement of found.drop) {
    const start = lineStart(text, statement.getStart());
    const end = lineEnd(text, statement.getEnd());
    const alone =
      /^\s*$/.test(text.slice(start, statement.getStart())) && /^\s*$/.test(text.slice(statement.getEnd(), end));
    if (alone) {
      edits.push({ start, end, text: '' });
      dropped.push([start, end]);
    } else edits.push({ start: statement.getStart(), end: statement.getEnd(), text: '' });
  }
  if (depth > 0) {
    const literals = literalRanges(body);
    const from = lineEnd(text, open.getEnd());
    for (let at = from; at < closeLine; at = lineEnd(text, at)) {
      if (dropped.some(([s, e]) => at >= s && at < e)) continue;
      if (literals.some(([s, e]) => at > s && at < e)) continue;
      const indent = /^[ \t]*/.exec(text.slice(at, at + depth))?.[0] ?? '';
      if (indent.length === depth) edits.push({ start: at, end: at + depth, text: '' });
      if (lineEnd(text, at) === at) break;
    }
  }
  return edits;
}

/**
 * A retry loop around an update call (`for (…) { try { await post(…); break; } catch { await sleep(1000) } }`, or a
 * helper's loop that retries a callback every caller of which makes an update call): once the call goes through
 * the generated module it is taken in at once, so the model proves one pass does what the loop did, and the loop
 * goes, leaving that pass. A loop whose body does more than the call, logs, sleeps and leaves stays, and the
 * report says why, with the line.
 */
export const rule: Rule = {
  name: 'retry-loop',
  transforms: ['scheduler-migration'],
  plan: (worker) => {
    const bySource = new Map<Node, WorkerFile>();
    for (const file of worker.files.values()) bySource.set(file.source, file);
    return findRetryLoops(worker.sinks).flatMap((found): Decision[] => {
      const file = bySource.get(found.loop.getSourceFile());
      if (file === undefined || file.generated) return [];
      if (found.blocker !== undefined)
        return [
          {
            action: 'keep',
            file: file.path,
            line: found.line,
            why: `the retry loop around ${found.call} stays: ${found.blocker}`,
          },
        ];
      return [
        {
          action: 'remove',
          file: file.path,
          line: found.line,
          edits: onePass(found, file.text),
          why: `the retry loop around ${found.call} goes: the update is taken in at once, so one pass does what it did`,
        },
      ];
    });
  },
};
