/** The fence languages whose blocks are programs to run. */
export const runnableLanguages = ['js', 'mjs', 'cjs', 'ts'] as const;
export type RunnableLanguage = (typeof runnableLanguages)[number];

/**
 * How a block is run, as the README says in a comment on the line right before its fence:
 * - no comment: as it stands;
 * - `<!-- snippet: with <path> -->`: inside a harness (a path from the repository root) that defines what the block
 *   names and does not define, and drives it;
 * - `<!-- snippet: not run (<reason>) -->`: not at all, for the reason given.
 */
export type Directive = { kind: 'as-is' } | { kind: 'harness'; path: string } | { kind: 'not-run'; reason: string };

/** A fenced block of a runnable language, with where it starts (1-based line of its opening fence). */
export interface Block {
  readonly language: RunnableLanguage;
  readonly code: string;
  readonly line: number;
  readonly directive: Directive;
  /** The module system it runs as: `cjs` when it uses `require` and no `import` declaration, else `esm`. */
  readonly moduleSystem: 'esm' | 'cjs';
}

const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
const comment = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/**
 * The runnable blocks of a Markdown text, each with its directive.
 *
 * @throws SyntaxError for a `snippet:` comment that says neither `with <path>` nor `not run (<reason>)`.
 * @example blocksOf(readme).filter((block) => block.directive.kind !== 'not-run')
 */
export function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(fence)) {
    const language = match[1] as RunnableLanguage;
    if (!runnableLanguages.includes(language)) continue;
    const before = markdown.slice(0, match.index).split('\n');
    const line = before.length;
    const code = match[2] as string;
    blocks.push({
      language,
      code,
      line,
      directive: directiveBefore(before, line),
      moduleSystem: moduleSystemOf(language, code),
    });
  }
  return blocks;
}

function directiveBefore(linesBefore: string[], line: number): Directive {
  // The last line before the fence is '' (the fence starts a line); the comment is the non-blank line above it.
  const previous = linesBefore
    .slice(0, -1)
    .reverse()
    .find((text) => text.trim() !== '');
  const found = previous?.trim().match(comment);
  if (!found) return { kind: 'as-is' };
  const text = found[1] as string;
  const harness = text.match(/^with\s+(\S+)$/);
  if (harness) return { kind: 'harness', path: harness[1] as string };
  const notRun = text.match(/^not run\s*\((.+)\)$/);
  if (notRun && (notRun[1] as string).trim() !== '') return { kind: 'not-run', reason: (notRun[1] as string).trim() };
  throw new SyntaxError(
    `before the block at line ${line}: expected \`<!-- snippet: with <path> -->\` or \`<!-- snippet: not run (<reason>) -->\`, got \`${previous?.trim()}\``,
  );
}

function moduleSystemOf(language: RunnableLanguage, code: string): 'esm' | 'cjs' {
  if (language === 'mjs') return 'esm';
  if (language === 'cjs') return 'cjs';
  return /\brequire\(/.test(code) && !/^\s*(import|export)\s/m.test(code) ? 'cjs' : 'esm';
}
