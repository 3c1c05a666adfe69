import { type Node, ts } from 'ts-morph';
import type { LegacyWorker, WorkerFile } from '../legacy/LegacyWorker.js';
import { specifierFor } from './module-placement.js';

/**
 * The type of a node, written so it can stand as an annotation at `at` in `file`: a type declared in another file is
 * named by `import("./x.js").Name`, relative (as the file's own imports are written) where the checker names it by
 * its absolute path. Undefined for an absolute path outside the worker.
 */
export function typeText(node: Node, at: Node, file: WorkerFile, worker: LegacyWorker): string | undefined {
  const text = node.getType().getText(at, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType);
  let outside = false;
  // The checker names a module relatively, or a package, where it can; an absolute path only where it cannot.
  const written = text.replace(/import\("(\/[^"]+)"\)/g, (_all, path: string) => {
    const target = [...worker.files.keys()].find((p) => p.replace(/\.[cm]?[jt]sx?$/, '') === path);
    if (target === undefined) {
      outside = true;
      return _all;
    }
    return `import("${specifierFor(file, target)}")`;
  });
  return outside ? undefined : written;
}
