import jscodeshift from 'jscodeshift';
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
 * transform cannot rewrite safely is reported with its reason, not changed. The output must parse again.
 */
export function runTransform(transform: Transform, path: string, source: string): FileOutcome {
  const j = jscodeshift.withParser(parserFor(path));
  const api = { jscodeshift: j, j, stats: () => undefined, report: () => undefined };
  try {
    const notes: string[] = [];
    const output = transform.transform({ path, source }, api as never, notes);
    if (output === undefined || output === source) return { kind: 'unchanged' };
    j(output); // parse-check what would be written
    return { kind: 'changed', source, output, notes };
  } catch (error) {
    if (error instanceof TransformSkip) return { kind: 'skipped', reason: error.reason, line: error.line };
    const line = (error as { loc?: { line?: number } }).loc?.line;
    return { kind: 'error', message: (error as Error).message.split('\n')[0] ?? String(error), line };
  }
}
