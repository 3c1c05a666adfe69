import type { LegacyWorker } from '../legacy/LegacyWorker.js';
import type { Decision, Plan } from '../plan/Plan.js';

/** A plan the emitter cannot carry out as it stands: two decisions change the same text. */
export class EmitError extends Error {
  override readonly name = 'EmitError';

  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the emitter made of a plan: the new text of each file it changes or creates. */
export interface Emitted {
  readonly files: ReadonlyMap<string, string>;
  /** Files that did not exist before. */
  readonly created: ReadonlySet<string>;
}

type Edit = { start: number; end: number; text: string; line: number; swallow?: boolean };

/**
 * Drops the edits inside a statement another decision deletes whole (a sink's rewrite inside a deleted flush
 * function); an insertion at either edge of it stays.
 */
function withoutSwallowed(list: Edit[]): Edit[] {
  const deletions = list.filter((e) => e.swallow);
  if (deletions.length === 0) return list;
  return list.filter(
    (e) =>
      !deletions.some(
        (d) =>
          d !== e &&
          e.start >= d.start &&
          e.end <= d.end &&
          !(e.start === e.end && (e.start === d.start || e.start === d.end)) &&
          !(e.swallow && e.start === d.start && e.end === d.end && list.indexOf(e) < list.indexOf(d)),
      ),
  );
}
type Move = Edit & { to: number; before: string; after: string };

/** Applies edits to a text from the end, so positions stay valid; `offset` is where the text starts in its file. */
function applyEdits(text: string, list: Edit[], file: string, offset = 0): string {
  // From the end; an insertion at the same place as a replacement goes before it.
  list.sort((a, b) => b.start - a.start || b.end - a.end);
  let limit = Number.POSITIVE_INFINITY;
  let out = text;
  for (const edit of list) {
    if (edit.end > limit) throw new EmitError(file, edit.line, 'two rewrites of the same code');
    out = out.slice(0, edit.start - offset) + edit.text + out.slice(edit.end - offset);
    limit = edit.start;
  }
  return out;
}

/**
 * A move becomes two edits: its range, with the edits inside it applied, is inserted at its destination between
 * `before` and `after`; its place gets its `text`.
 */
function resolveMoves(text: string, list: Edit[], moves: readonly Move[], file: string): Edit[] {
  let rest = list;
  const resolved: Edit[] = [];
  for (const move of moves) {
    if (move.to > move.start && move.to < move.end) throw new EmitError(file, move.line, 'a move into itself');
    const inner = rest.filter(
      (e) => e.start >= move.start && e.end <= move.end && !(e.start === e.end && e.start === move.start),
    );
    rest = rest.filter((e) => !inner.includes(e));
    const moved = applyEdits(text.slice(move.start, move.end), inner, file, move.start);
    resolved.push({ start: move.to, end: move.to, text: `${move.before}${moved}${move.after}`, line: move.line });
    resolved.push({ start: move.start, end: move.end, text: move.text, line: move.line });
  }
  return [...rest, ...resolved];
}

/**
 * The one place that changes text: applies a plan's `replace`, `add`, `remove`, `move` and `create` decisions to the worker's
 * files, in memory. Edits of one file are applied from the end, so positions stay valid; two that overlap are an
 * error.
 *
 * @throws EmitError when two decisions touch the same text.
 */
export function emit(worker: LegacyWorker, plan: Plan): Emitted {
  const edits = new Map<string, Edit[]>();
  const files = new Map<string, string>();
  const created = new Set<string>();
  const moves = new Map<string, Move[]>();
  const add = (file: string, edit: Edit) => {
    const list = edits.get(file) ?? [];
    list.push(edit);
    edits.set(file, list);
  };
  for (const decision of plan.decisions as Decision[]) {
    if (decision.action === 'replace')
      add(decision.file, { start: decision.start, end: decision.end, text: decision.text, line: decision.line });
    else if (decision.action === 'remove')
      for (const edit of decision.edits) add(decision.file, { ...edit, line: decision.line });
    else if (decision.action === 'add')
      add(decision.file, { start: decision.at, end: decision.at, text: decision.text, line: decision.line });
    else if (decision.action === 'move') {
      const { start, end, text, line, to, before, after } = decision;
      moves.set(decision.file, [...(moves.get(decision.file) ?? []), { start, end, text, line, to, before, after }]);
      if (!edits.has(decision.file)) edits.set(decision.file, []);
    } else if (decision.action === 'create') {
      files.set(decision.file, decision.text);
      if (!worker.files.has(decision.file)) created.add(decision.file);
    }
  }
  for (const [file, list] of edits) {
    const text = worker.files.get(file)?.text;
    if (text === undefined) throw new EmitError(file, 0, 'a decision names a file that is not part of the worker');
    files.set(file, applyEdits(text, resolveMoves(text, withoutSwallowed(list), moves.get(file) ?? [], file), file));
  }
  return { files, created };
}
