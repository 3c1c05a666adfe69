import { existsSync, readdirSync } from 'node:fs';
import type { Rule } from './Plan.js';

// The rules are the files of `rules/`: adding a legacy pattern is adding a file there (and its fixture), never
// editing a list. Built, they sit in `dist/plan/rules/`.
const candidates = [
  new URL('./rules/', import.meta.url),
  new URL('./plan/rules/', import.meta.url),
  new URL('../plan/rules/', import.meta.url),
];

let loaded: Promise<Rule[]> | undefined;

/** Every rule, by file name. */
export function loadRules(): Promise<Rule[]> {
  loaded ??= (async () => {
    const folder = candidates.find((url) => existsSync(url));
    if (folder === undefined) throw new Error('the rules folder is missing');
    const names = readdirSync(folder)
      .filter((name) => /\.(ts|js)$/.test(name) && !/\.(test|d)\.ts$/.test(name) && !name.endsWith('.map'))
      .sort();
    const modules = (await Promise.all(names.map((name) => import(new URL(name, folder).href)))) as Array<{
      rule?: Rule;
    }>;
    return modules.map((module, i) => {
      if (module.rule === undefined) throw new Error(`rules/${names[i]}: exports no rule`);
      return module.rule;
    });
  })();
  return loaded;
}
