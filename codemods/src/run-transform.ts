import jscodeshift from 'jscodeshift';
import { newTypeErrors } from './analysis/type-check.js';
import { type Transform, TransformSkip } from './transform.js';

/** What one transform made of one file. */
export type FileOutcome =
  | { readonly kind: 'changed'; readonly source: string; readonly output: string; readonly notes: readonly string[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'skipped'; readonly reason: string; readonly line: number | undefined }
  | { readonly kind: 'error'; readonly message: string; readonly line: number | undefined };

/** The parser for a file: TypeScript (tsx) for .ts/.tsx/.mts/.cts, Babel for JavaScript. */
export function parserFor(path: string): 'tsx' | 'ts' | 'babel' {
  if (/\.(tsx)$/.test(path)) return 'tsx';
  if (/\.(ts|mts|cts)$/.test(path)) return 'ts';
  return 'babel';
}

/**
 * Runs a transform on one file's source, isolated: whatever happens, the caller gets an outcome, and a file the
 * transform cannot rewrite safely is reported with its reason, not changed. The output must parse again, and with
 * `typeCheck` a TypeScript file must not gain type errors, nor a JavaScript file a name that resolves to nothing or
 * is used before its declaration (checked with ts-morph in the file's own project).
 */
export function runTransform(
  transform: Transform,
  path: string,
  source: string,
  options: { typeCheck?: boolean } = {},
): FileOutcome {
  const j = jscodeshift.withParser(parserFor(path));
  const api = { jscodeshift: j, j, stats: () => undefined, report: () => undefined };
  try {
    const notes: string[] = [];
    const output = transform.transform({ path, source }, api as never, notes);
    if (output === undefined || output === source) return { kind: 'unchanged' };
    j(output); // parse-check what would be written
    // A TypeScript file must not come out with type errors it did not have, nor a JavaScript one with a name that
    // resolves to nothing.
    if (options.typeCheck) {
      const added = newTypeErrors(path, source, output, transform.dependency);
      if (added.length > 0) {
        return {
          kind: 'error',
          message: `the rewrite would add ${added.length} type error(s): ${added.slice(0, 3).join('; ')}`,
          line: undefined,
        };
      }
    }
    return { kind: 'changed', source, output, notes };
  } catch (error) {
    if (error instanceof TransformSkip) return { kind: 'skipped', reason: error.reason, line: error.line };
    const line = (error as { loc?: { line?: number } }).loc?.line;
    return { kind: 'error', message: (error as Error).message.split('\n')[0] ?? String(error), line };
  }
}
