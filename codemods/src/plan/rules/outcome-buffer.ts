import { Node } from 'ts-morph';
import type { BufferUseKind, OutcomeBuffer } from '../../legacy/buffer.js';
import { type BufferRemoval, bufferVerdicts } from '../../legacy/buffer-removal.js';
import type { WorkerFile } from '../../legacy/LegacyWorker.js';
import type { Decision, Rule } from '../Plan.js';
import { rewriteSink } from '../rewrite-sink.js';

const ORDER: readonly BufferUseKind[] = ['push', 'swap', 'reset', 'post', 'guard', 'other'];

function counts(buffer: OutcomeBuffer): string {
  return ORDER.flatMap((kind) => {
    const n = buffer.uses.filter((u) => u.kind === kind).length;
    return n === 0 ? [] : [n === 1 ? kind : `${kind} ×${n}`];
  }).join(', ');
}

/** The flush's post, made for one event: the batch it took replaced by `[event]`, the sink routed as it is. */
function postOfOne(removal: BufferRemoval, event: string, text: string): string {
  const { post, batch, sink } = removal;
  const start = post.getStart();
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const batchName = batch.getText();
  const batchSymbol = batch.getSymbol();
  for (const id of [post, ...post.getDescendants()].filter((n) => Node.isIdentifier(n))) {
    if (id.getText() !== batchName || id.getSymbol() !== batchSymbol) continue;
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (Node.isShorthandPropertyAssignment(parent))
      edits.push({ start: parent.getStart(), end: parent.getEnd(), text: `${batchName}: [${event}]` });
    else edits.push({ start: id.getStart(), end: id.getEnd(), text: `[${event}]` });
  }
  if (sink && sink.form !== 'node-http') {
    const routed = rewriteSink(sink, sink.form, '');
    if (routed.action === 'replace') edits.push({ start: routed.start, end: routed.end, text: routed.text });
  }
  let out = text.slice(start, post.getEnd());
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start - start) + edit.text + out.slice(edit.end - start);
  return out;
}

/**
 * The statement that records a pushed event. A push never threw: inside the `try` of a `try … catch` (the send's
 * own, typically), a failure to record (an event the scheduler refuses) is logged rather than taken for a failed
 * send by that catch.
 */
function recordText(post: string, guarded: boolean, indent: string): string {
  if (!guarded) return post;
  return `try {\n${indent}  ${post}\n${indent}} catch (error) {\n${indent}  console.error('event not recorded:', error);\n${indent}}`;
}

/**
 * A statement's range with the line it is on when it stands alone there (from the newline before it), and one of
 * two blank lines it sat between.
 */
function wholeLines(statement: Node, text: string): { start: number; end: number } {
  // The comments right above a deleted statement are about it: they go with it.
  let start = statement.getStart();
  for (const comment of [...statement.getLeadingCommentRanges()].reverse()) {
    if (!/^[ \t]*\n?[ \t]*$/.test(text.slice(comment.getEnd(), start))) break;
    start = comment.getPos();
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.getEnd());
  const after = text.slice(statement.getEnd(), lineEnd === -1 ? text.length : lineEnd);
  if (lineStart === 0 || !/^[ \t]*$/.test(text.slice(lineStart, start)) || !/^[ \t]*$/.test(after))
    return { start, end: statement.getEnd() };
  const end = statement.getEnd() + after.length;
  // Between two blank lines, one of them goes too (the one before: the one after may lie past a moved range).
  const blankBefore = /\n[ \t]*\n[ \t]*$/.exec(text.slice(0, lineStart));
  const blankAfter = /^\n[ \t]*\n/.test(text.slice(end));
  if (blankBefore && blankAfter) return { start: lineStart - blankBefore[0].length, end };
  return { start: lineStart - 1, end };
}

/**
 * The recipient loop's outcome buffer. When the model proves it inert (every use plumbing, a local of
 * processCampaign posted once, by a flush function that does nothing else, the server that post names in reach of
 * every push), it goes: each push becomes that post of its one event, which the generated module takes in at once
 * as a `scheduler.record`, and the flush function, the buffer, the flush timers and the conditions that only fed
 * them are deleted. Otherwise it stays, now only feeding the generated module, and the report names the use or line
 * that holds it.
 */
export const rule: Rule = {
  name: 'outcome-buffer',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    bufferVerdicts(worker).flatMap(({ buffer, removal, blocker }): Decision[] => {
      if (removal === undefined)
        return [
          {
            action: 'keep',
            file: buffer.file,
            line: buffer.line,
            why: `the outcome buffer \`${buffer.name}\` stays (${counts(buffer)}): its posts now only feed the server-updates module; it cannot go: ${blocker}`,
          },
        ];
      const file = worker.files.get(buffer.file) as WorkerFile;
      const decisions: Decision[] = removal.pushes.map(({ statement, event, guarded }) => ({
        action: 'replace' as const,
        file: buffer.file,
        line: statement.getStartLineNumber(),
        start: statement.getStart(),
        end: statement.getEnd(),
        text: recordText(
          `await ${postOfOne(removal, file.text.slice(event.getStart(), event.getEnd()), file.text)};`,
          guarded,
          /[ \t]*$/.exec(file.text.slice(0, statement.getStart()))?.[0] ?? '',
        ),
        usesModule: removal.sink !== undefined && removal.sink.file === buffer.file,
        why: `the event goes to the server as ${removal.flush}() posted it, one record at a time`,
      }));
      const state = removal.state.length > 0 ? `, ${removal.state.map((n) => `\`${n}\``).join(', ')}` : '';
      decisions.push({
        action: 'remove',
        file: buffer.file,
        line: buffer.line,
        edits: removal.deleted.map((statement) => ({ ...wholeLines(statement, file.text), text: '', swallow: true })),
        why: `the outcome buffer \`${buffer.name}\` goes (${counts(buffer)}): each push records its event through the post ${removal.flush}() made; ${removal.flush}()${state} and the conditions that fed it are deleted`,
      });
      return decisions;
    }),
};
