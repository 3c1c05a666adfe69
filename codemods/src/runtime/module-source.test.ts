import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedDelivery, moduleSource } from './module-source.js';

const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, '../../.generated'), { recursive: true });
const scratch = mkdtempSync(join(here, '../../.generated/module-source-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Type errors of a generated module in a strict project that resolves this package's dependencies. */
function typeErrors(name: string, text: string, options: ts.CompilerOptions = {}): string[] {
  const path = join(scratch, name);
  writeFileSync(path, text);
  const project = new Project({
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      skipLibCheck: true,
      noEmit: true,
      ...options,
    },
  });
  project.addSourceFileAtPath(path);
  project.resolveSourceFileDependencies();
  return project
    .getPreEmitDiagnostics()
    .map((d) => `${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, ' ')}`);
}

describe('moduleSource', () => {
  for (const delivery of ['scheduler', 'throttle'] as const) {
    it(`writes a ${delivery} module that type-checks in a strict TypeScript project`, () => {
      expect(typeErrors(`${delivery}.mts`, moduleSource(delivery, 'ts'))).toEqual([]);
    });
    it(`writes the ${delivery} module as JavaScript (ESM and CommonJS) with no name left unresolved`, () => {
      const js = { allowJs: true, checkJs: true, strict: false, noImplicitAny: false };
      const esm = moduleSource(delivery, 'esm');
      const cjs = moduleSource(delivery, 'cjs');
      expect(esm).toContain(delivery === 'scheduler' ? "from '@scope/scheduler'" : "from '@scope/throttle'");
      expect(cjs).toMatch(
        delivery === 'scheduler' ? /require\(["']@scope\/scheduler["']\)/ : /require\(["']@scope\/throttle["']\)/,
      );
      const scope = (errors: string[]) => errors.filter((e) => /Cannot find name|used before/.test(e));
      expect(scope(typeErrors(`${delivery}.mjs`, esm, js))).toEqual([]);
      expect(scope(typeErrors(`${delivery}.cjs`, cjs, js))).toEqual([]);
    });
    it(`marks the ${delivery} module so a later run knows it`, () => {
      for (const format of ['ts', 'esm', 'cjs'] as const) {
        expect(generatedDelivery(moduleSource(delivery, format))).toBe(delivery);
      }
    });
  }
});
