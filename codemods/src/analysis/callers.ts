import { relative } from 'node:path';
import { Node, Project } from 'ts-morph';

/** Where a function is called, across the given files (JavaScript or TypeScript). */
export function callersOf(name: string, files: readonly string[]): Array<{ file: string; line: number }> {
  const project = new Project({ compilerOptions: { allowJs: true }, skipAddingFilesFromTsConfig: true });
  for (const file of files) project.addSourceFileAtPath(file);
  const calls: Array<{ file: string; line: number }> = [];
  for (const source of project.getSourceFiles()) {
    source.forEachDescendant((node) => {
      if (!Node.isCallExpression(node)) return;
      const callee = node.getExpression();
      const called = Node.isIdentifier(callee)
        ? callee.getText()
        : Node.isPropertyAccessExpression(callee)
          ? callee.getName()
          : '';
      if (called === name)
        calls.push({
          file: relative(process.cwd(), source.getFilePath()) || source.getFilePath(),
          line: node.getStartLineNumber(),
        });
    });
  }
  return calls;
}
