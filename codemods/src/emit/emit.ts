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

type Edit = { start: number; end: number; text: string; line: number };

/**
 * The one place that changes text: applies a plan's `replace`, `add` and `create` decisions to the worker's files,
 * in memory. Edits of one file are applied from the end, so positions stay valid; two that overlap are an error.
 *
 * @throws EmitError when two decisions touch the same text.
 */
export function emit(worker: LegacyWorker, plan: Plan): Emitted {
  const edits = new Map<string, Edit[]>();
  const files = new Map<string, string>();
  const created = new Set<string>();
  const add = (file: string, edit: Edit) => {
    const list = edits.get(file) ?? [];
    list.push(edit);
    edits.set(file, list);
  };
  for (const decision of plan.decisions as Decision[]) {
    if (decision.action === 'replace')
      add(decision.file, { start: decision.start, end: decision.end, text: decision.text, line: decision.line });
    else if (decision.action === 'add')
      add(decision.file, { start: decision.at, end: decision.at, text: decision.text, line: decision.line });
    else if (decision.action === 'create') {
      files.set(decision.file, decision.text);
      if (!worker.files.has(decision.file)) created.add(decision.file);
    }
  }
  for (const [file, list] of edits) {
    let text = worker.files.get(file)?.text;
    if (text === undefined) throw new EmitError(file, 0, 'a decision names a file that is not part of the worker');
    // From the end; an insertion at the same place as a replacement goes before it.
    list.sort((a, b) => b.start - a.start || b.end - a.end);
    let limit = Number.POSITIVE_INFINITY;
    for (const edit of list) {
      if (edit.end > limit) throw new EmitError(file, edit.line, 'two rewrites of the same code');
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      limit = edit.start;
    }
    files.set(file, text);
  }
  return { files, created };
}
