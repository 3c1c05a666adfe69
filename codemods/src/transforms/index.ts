import { existsSync, readdirSync } from 'node:fs';
import type { Transform } from '../transform.js';

/** Where the transforms are: beside the running code (`src/transforms` in tests, `dist/transforms` when built). */
export const TRANSFORMS_FOLDER = new URL('./', import.meta.url);

/** The transforms, one folder each: the list is read from the folder, never kept by hand. */
export async function loadTransforms(folder: URL = TRANSFORMS_FOLDER): Promise<Transform[]> {
  const extension = existsSync(new URL('./index.ts', folder)) ? 'ts' : 'js';
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort();
  const modules = await Promise.all(names.map((name) => import(new URL(`./${name}/index.${extension}`, folder).href)));
  return modules.map((module, i) => {
    const transform = Object.values(module).find((value) => typeof (value as Transform)?.delivery === 'string') as
      | Transform
      | undefined;
    if (transform === undefined || transform.name !== names[i])
      throw new Error(`transforms/${names[i]}: exports no transform named ${names[i]}`);
    return transform;
  });
}
