import type { API, FileInfo } from 'jscodeshift';

/** A codemod: a jscodeshift transform with its name (the folder's), what it does, and the package it brings in. */
export interface Transform {
  readonly name: string;
  readonly description: string;
  /** The package the rewritten code imports; added to the target's package.json. */
  readonly dependency: string;
  /**
   * Returns the new source, or undefined when the file needs no change. Throws TransformSkip when unsafe. What it
   * could not infer it marks with a TODO comment and pushes to `notes`, which the report shows.
   */
  transform(file: FileInfo, api: API, notes?: string[]): string | undefined;
}

/** Thrown by a transform that cannot rewrite a file safely: the file stays byte-for-byte untouched. */
export class TransformSkip extends Error {
  override readonly name = 'TransformSkip';

  constructor(
    readonly reason: string,
    readonly line: number | undefined,
  ) {
    super(reason);
  }
}
