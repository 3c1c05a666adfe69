import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import type { Block } from './blocks.js';

/** The line of a harness where the block goes. */
export const SNIPPET_MARKER = /^[ \t]*\/\/ @snippet[ \t]*$/m;
/** A harness line `// @stdout <regex>`: a line of the block's output must match it. */
const STDOUT_EXPECTATION = /^[ \t]*\/\/ @stdout (.+)$/gm;

const redirect = fileURLToPath(new URL('redirect-main-server.mjs', import.meta.url));

export interface RunOptions {
  /** The repository root: harness paths are relative to it. */
  readonly root: string;
  /** A folder of its own for this block (its cwd, where it writes `data/…`); inside the workspace so `@scope/*` resolve. */
  readonly dir: string;
  /** The mock main server over HTTP, given as `MAIN_SERVER_URL` and standing in for `https://main.example.com`. */
  readonly mainServerUrl: string;
  /** Given as `REDIS_URL`. */
  readonly redisUrl: string;
  /** @default 90000 */
  readonly timeoutMs?: number;
}

/** What a block runs as. */
export interface Program {
  readonly source: string;
  readonly extension: '.mjs' | '.cjs';
  /** What its output must show (the harness's `// @stdout` lines). */
  readonly stdout: readonly RegExp[];
}

export interface RunResult {
  readonly program: Program;
  readonly file: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The program a block runs as: the block itself, or its harness with the block in place of the `// @snippet`
 * line; TypeScript stripped of its types by esbuild (the module system stays the block's).
 *
 * @throws Error for a harness without a `// @snippet` line.
 */
export async function programOf(block: Block, root: string): Promise<Program> {
  let source = block.code;
  const stdout: RegExp[] = [];
  if (block.directive.kind === 'harness') {
    const harness = await readFile(join(root, block.directive.path), 'utf8');
    if (!SNIPPET_MARKER.test(harness)) throw new Error(`${block.directive.path}: no \`// @snippet\` line`);
    source = harness.replace(SNIPPET_MARKER, () => block.code);
    for (const [, pattern] of harness.matchAll(STDOUT_EXPECTATION)) stdout.push(new RegExp(pattern as string, 'm'));
  }
  if (block.language === 'ts') {
    const format = block.moduleSystem === 'cjs' ? 'cjs' : 'esm';
    source = (await transform(source, { loader: 'ts', format, target: 'node20' })).code;
  }
  return { source, extension: block.moduleSystem === 'cjs' ? '.cjs' : '.mjs', stdout };
}

/**
 * Runs a block in a child process, as a module file of its own in `dir` (also its working folder), with
 * `MAIN_SERVER_URL` and `REDIS_URL` set and `https://main.example.com` answered by the mock. Never rejects: the
 * result says how it ended.
 */
export async function runBlock(block: Block, options: RunOptions): Promise<RunResult> {
  const program = await programOf(block, options.root);
  const { source, extension } = program;
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, `block-${block.line}${extension}`);
  await writeFile(file, source);
  const { HOSTNAME: _, ...env } = process.env; // as in a shell, where HOSTNAME is not exported
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', redirect, file],
      {
        cwd: options.dir,
        timeout: options.timeoutMs ?? 90_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        env: { ...env, MAIN_SERVER_URL: options.mainServerUrl, REDIS_URL: options.redisUrl },
      },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number; killed?: boolean; signal?: string }) | null;
        resolve({
          program,
          file,
          exitCode: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          timedOut: failure?.killed === true,
          stdout,
          stderr,
        });
      },
    );
  });
}
