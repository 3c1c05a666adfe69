import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  createMockServer,
  type DemoCampaign,
  demoCampaigns,
  type FaultOptions,
  seededRandom,
  startInProcess,
} from '@scope/mock-server';
import { ts } from 'ts-morph';
import { vi } from 'vitest';
import { type ApplyReport, apply } from '../src/commands/apply.js';
import type { Transform } from '../src/transform.js';
import { hotfixThrottle } from '../src/transforms/hotfix-throttle/index.js';
import { schedulerMigration } from '../src/transforms/scheduler-migration/index.js';

// The corpus harness: copies a case's worker tree (as written, or rewritten by the codemods' CLI) into a git-ignored
// folder inside this package, so it resolves this package's node_modules (@scope/throttle, @scope/scheduler, axios,
// got), runs the case's driver in virtual time against the in-process mock main server, and measures the run from
// the server's request log and state.

// Real timers, captured before any test fakes them: waiting for a module to load takes real time.
const realSetTimeout = globalThis.setTimeout;
const sleepReal = (ms: number) => new Promise<void>((done) => realSetTimeout(done, ms));
let runCounter = 0;
const here = fileURLToPath(new URL('.', import.meta.url));

/** Where the cases live. */
export const corpusDir = here;
/** Where runs are copied: `codemods/.generated/` is ignored by git and by Biome. */
export const runsDir = resolve(here, '../.generated/corpus-runs');
/** The built CLI. */
export const cliPath = resolve(here, '../dist/cli.js');

export const SERVER_URL = 'http://main.mock';
/** Virtual time starts here in every run. */
export const T0 = Date.parse('2026-11-28T10:00:00Z');

export type Variant = 'original' | 'hotfix' | 'migration' | 'hotfix+migration';
export const VARIANTS: readonly Variant[] = ['original', 'hotfix', 'migration', 'hotfix+migration'];
const TRANSFORMS: Readonly<Record<Variant, readonly string[]>> = {
  original: [],
  hotfix: ['hotfix-throttle'],
  migration: ['scheduler-migration'],
  'hotfix+migration': ['hotfix-throttle', 'scheduler-migration'],
};

export interface CaseMeta {
  readonly description: string;
  readonly categories: readonly string[];
  readonly language: 'js' | 'ts';
  readonly module: 'cjs' | 'esm';
  readonly expect: 'rewrite' | 'refuse';
  readonly why?: string;
}

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly meta: CaseMeta;
}

/** Every case folder (`nn-name/` with a `case.json`), in order. */
export function listCases(): CorpusCase[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(corpusDir, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(corpusDir, name);
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseMeta;
      return { name, dir, meta };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Variants: the tree as written, or rewritten by the CLI.

/** What the CLI reported for a file it left alone. */
export interface Refusal {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
}

export interface TransformStep {
  readonly transform: string;
  readonly exitCode: number;
  readonly changedFiles: readonly string[];
  readonly refusals: readonly Refusal[];
  readonly errors: readonly string[];
  readonly review: readonly string[];
  /** What the transform took out (`file:line: why`) and what it kept, saying why. */
  readonly removed: readonly string[];
  readonly kept: readonly string[];
}

export interface PreparedVariant {
  readonly caseName: string;
  readonly variant: Variant;
  /** The tree to run (a copy of the case's `worker/`, rewritten for a transformed variant). */
  readonly treeDir: string;
  /** `changed` (some file rewritten), `refused` (nothing rewritten, something refused), `unchanged`, `error`. */
  readonly outcome: 'original' | 'changed' | 'refused' | 'unchanged' | 'error';
  readonly steps: readonly TransformStep[];
  /** A second application of the same transforms changed nothing (undefined for the original). */
  readonly idempotent: boolean | undefined;
  /** Comments of the original still present in the rewritten tree, compared by text. */
  readonly comments: { readonly kept: number; readonly total: number } | undefined;
  /** A CLI failure that is not a report (a crash, or output that is not JSON). */
  readonly failure: string | undefined;
}

function dirName(variant: Variant): string {
  return variant.replace('+', '-');
}

function copyTree(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true, filter: (source) => !source.split(sep).includes('node_modules') });
}

/** Every file of a tree, by path relative to it, with its text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (statSync(path).isFile()) {
        files.set(relative(dir, path), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(dir);
  return files;
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, text] of a) if (b.get(path) !== text) return false;
  return true;
}

const SOURCE = /\.(c|m)?(j|t)sx?$/;

function changedSources(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((path) => SOURCE.test(path) && before.get(path) !== after.get(path));
}

const transformsByName = new Map<string, Transform>([
  [hotfixThrottle.name, hotfixThrottle],
  [schedulerMigration.name, schedulerMigration],
]);

/**
 * Lanes that apply transforms in parallel, one worker thread each (corpus/apply-lane.mjs, running the built
 * `dist/`): the work is all CPU, so two lanes use both cores. Without lanes (or without a build), transforms are
 * applied in this process.
 */
const lanes: Worker[] = [];
const waiting = new Map<number, (answer: { report?: ApplyReport; error?: string }) => void>();
let nextRequest = 0;

/** Starts `count` lanes when the package is built; returns how many run. */
export function startApplyLanes(count: number): number {
  if (count < 2 || !existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) return 0;
  for (let i = 0; i < count; i++) {
    const lane = new Worker(new URL('./apply-lane.mjs', import.meta.url));
    lane.on('message', (answer: { id: number; report?: ApplyReport; error?: string }) => {
      waiting.get(answer.id)?.(answer);
      waiting.delete(answer.id);
    });
    lanes.push(lane);
  }
  return lanes.length;
}

export async function stopApplyLanes(): Promise<void> {
  await Promise.all(lanes.splice(0).map((lane) => lane.terminate()));
}

/**
 * Applies a transform inside a tree: the same `apply` the CLI runs (`apply <transform> . --json --force`), in lane
 * `lane` when lanes run, else in this process. Each lane (and this process) shares one ts-morph project across trees,
 * so the declarations of the libraries the workers use are read once per lane.
 */
async function applyTransform(name: string, treeDir: string, lane: number): Promise<TransformStep> {
  const transform = transformsByName.get(name);
  if (transform === undefined) throw new Error(`unknown transform ${name}`);
  const before = readTree(treeDir);
  const options = {
    dry: false,
    print: false,
    diff: false,
    force: true,
    json: true,
    dependencyRange: '*',
    cwd: treeDir,
    gitignore: false,
  };
  const worker = lanes[lane % Math.max(1, lanes.length)];
  let report: ApplyReport;
  if (worker === undefined) report = await apply(transform, ['.'], options, () => undefined);
  else {
    const id = nextRequest++;
    const answer = await new Promise<{ report?: ApplyReport; error?: string }>((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ id, name, options });
    });
    if (answer.report === undefined) throw new Error(`${name} in ${treeDir}: ${answer.error}`);
    report = answer.report;
  }
  const after = readTree(treeDir);
  const exitCode = report.errors.length > 0 || report.skipped.length > 0 || report.review.length > 0 ? 1 : 0;
  return {
    transform: name,
    exitCode,
    changedFiles: changedSources(before, after),
    refusals: report.skipped.map((entry) => ({
      file: entry.file,
      line: entry.line ?? undefined,
      reason: entry.reason,
    })),
    errors: report.errors.map((entry) => `${entry.file}: ${entry.message}`),
    review: report.review.map((entry) => `${entry.file}: ${entry.note}`),
    removed: (report.removed ?? []).map((entry) => `${entry.file}:${entry.line}: ${entry.why}`),
    kept: report.kept.map((entry) => `${entry.file}:${entry.line}: ${entry.why}`),
  };
}

/** The comment texts of each source file of a tree (whitespace-normalised), read with the TypeScript parser. */
export function commentsOf(tree: Map<string, string>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [path, text] of tree) {
    if (!SOURCE.test(path)) continue;
    const kind = /\.(c|m)?tsx?$/.test(path) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
    const seen = new Set<number>();
    const comments: string[] = [];
    const take = (ranges: readonly ts.CommentRange[] | undefined) => {
      for (const range of ranges ?? []) {
        if (seen.has(range.pos)) continue;
        seen.add(range.pos);
        comments.push(text.slice(range.pos, range.end).replace(/\s+/g, ' ').trim());
      }
    };
    const visit = (node: ts.Node) => {
      take(ts.getLeadingCommentRanges(text, node.getFullStart()));
      take(ts.getTrailingCommentRanges(text, node.getEnd()));
      node.forEachChild(visit);
    };
    visit(file);
    take(ts.getLeadingCommentRanges(text, file.endOfFileToken.getFullStart()));
    result.set(path, comments);
  }
  return result;
}

function commentsKept(before: Map<string, string>, after: Map<string, string>) {
  const original = commentsOf(before);
  const rewritten = commentsOf(after);
  let kept = 0;
  let total = 0;
  for (const [path, comments] of original) {
    const left = [...(rewritten.get(path) ?? [])];
    for (const comment of comments) {
      total++;
      const at = left.indexOf(comment);
      if (at >= 0) {
        kept++;
        left.splice(at, 1);
      }
    }
  }
  return { kept, total };
}

/**
 * Makes a variant's tree under `runsDir/<case>/<variant>/`: a copy of `worker/`, with the variant's transforms
 * applied in order by the CLI, and a second application on a further copy to see that it changes nothing.
 * `earlier` holds the variants of the same case already made: hotfix+migration starts from the hotfix's tree, and
 * when the hotfix left the tree as it was, takes the migration's result (the same input gives the same output).
 */
export async function prepareVariant(
  corpusCase: CorpusCase,
  variant: Variant,
  earlier: ReadonlyMap<Variant, PreparedVariant> = new Map(),
  lane = 0,
): Promise<PreparedVariant> {
  const source = join(corpusCase.dir, 'worker');
  const treeDir = join(runsDir, corpusCase.name, dirName(variant));
  const transforms = TRANSFORMS[variant];
  const empty = { caseName: corpusCase.name, variant, treeDir };
  if (transforms.length === 0) {
    copyTree(source, treeDir);
    return { ...empty, outcome: 'original', steps: [], idempotent: undefined, comments: undefined, failure: undefined };
  }
  try {
    const original = readTree(source);
    const steps: TransformStep[] = [];
    const hotfix = earlier.get('hotfix');
    const migration = earlier.get('migration');
    const usable = (prepared: PreparedVariant | undefined): prepared is PreparedVariant =>
      prepared !== undefined && prepared.failure === undefined;
    if (variant === 'hotfix+migration' && usable(hotfix)) {
      steps.push(...hotfix.steps);
      if (sameTree(original, readTree(hotfix.treeDir)) && usable(migration)) {
        copyTree(migration.treeDir, treeDir);
        steps.push(...migration.steps);
      } else {
        copyTree(hotfix.treeDir, treeDir);
        steps.push(await applyTransform('scheduler-migration', treeDir, lane));
      }
    } else {
      copyTree(source, treeDir);
      for (const transform of transforms) steps.push(await applyTransform(transform, treeDir, lane));
    }
    const rewritten = readTree(treeDir);
    const changed = changedSources(original, rewritten).length > 0;
    const refused = steps.some((step) => step.refusals.length > 0);
    const errored = steps.some((step) => step.errors.length > 0);
    const outcome = changed ? 'changed' : refused ? 'refused' : errored ? 'error' : 'unchanged';
    // Idempotence: the same transforms, in the same order, on a copy of the result. A tree the transforms left as
    // it was would only repeat the first run, so it needs no second one.
    let idempotent = true;
    if (!sameTree(original, rewritten)) {
      const againDir = `${treeDir}.again`;
      copyTree(treeDir, againDir);
      for (const transform of transforms) await applyTransform(transform, againDir, lane);
      idempotent = sameTree(rewritten, readTree(againDir));
      rmSync(againDir, { recursive: true, force: true });
    }
    return {
      ...empty,
      outcome,
      steps,
      idempotent,
      comments: changed ? commentsKept(original, rewritten) : undefined,
      failure: undefined,
    };
  } catch (error) {
    return {
      ...empty,
      outcome: 'error',
      steps: [],
      idempotent: undefined,
      comments: undefined,
      failure: (error as Error).message,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Runs: a driver in virtual time against the mock main server.

export interface Message {
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
  readonly [key: string]: unknown;
}

export interface Mailer {
  sendMail(message: Message): Promise<{ messageId: string }>;
}

export interface DriverCampaign {
  readonly id: string;
  readonly name: string;
  readonly emailsPerMinute: number;
  readonly total: number;
  readonly from: string;
  readonly subject: string;
  readonly body: string;
}

export interface DriverRecipient {
  readonly id: string;
  readonly email: string;
  readonly name?: string | undefined;
}

export interface DriverInput {
  readonly workerDir: string;
  readonly serverUrl: string;
  readonly campaign: DriverCampaign;
  readonly recipients: readonly DriverRecipient[];
  readonly mailer: Mailer;
}

export interface RunOptions {
  /** Recipients of the one campaign. @default 120 */
  readonly recipients?: number;
  /** Its rate. @default 60 */
  readonly emailsPerMinute?: number;
  /** Seeds the campaign data and `Math.random`. @default 7 */
  readonly seed?: number;
  /** When to give up, in virtual time. @default 4 hours */
  readonly capMs?: number;
  /** Virtual time to keep running after the driver settles, for requests its timers still make. @default 60 s */
  readonly drainMs?: number;
  /** Faults of the mock main server (an outage window, error rates). @default none */
  readonly faults?: FaultOptions;
}

export interface RunResult {
  readonly settled: 'resolved' | 'rejected' | 'timeout' | 'stuck';
  readonly error: string | undefined;
  /** Update requests: events, status and bulk. */
  readonly requests: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  /** Answers other than 2xx to update requests. */
  readonly failedRequests: number;
  /** The smallest gap between the starts of two update requests, in ms (null with fewer than two). */
  readonly minGapMs: number | null;
  readonly recipients: number;
  readonly missing: number;
  readonly duplicated: number;
  /** Events for recipients not in the campaign. */
  readonly unknown: number;
  readonly finalState: string | undefined;
  readonly sends: number;
  /** Recipients mailed more than once. */
  readonly doubleSends: number;
  /** Emails per virtual minute, first send to last. */
  readonly sendsPerMinute: number | null;
  /** Virtual time from the start to the driver settling, in ms. */
  readonly virtualMs: number;
  readonly wallMs: number;
}

/** Mail failures the harness's mailer gives, by recipient position: a bounce and a transient error. */
function mailFailure(index: number): Error | undefined {
  if (index % 29 === 11) {
    return Object.assign(new Error('550 5.1.1 mailbox unavailable'), { responseCode: 550, code: 'EENVELOPE' });
  }
  if (index % 37 === 23) {
    return Object.assign(new Error('421 4.7.0 try again later'), { responseCode: 421, code: 'EMESSAGE' });
  }
  return undefined;
}

/** Yields to the real event loop (setImmediate is not faked) until the mock has answered what it was asked. */
async function settleIo(mock: ReturnType<typeof createMockServer>, sends: () => number): Promise<void> {
  let quiet = 0;
  let lastLog = mock.state.log.length;
  let lastSends = sends();
  for (let turn = 0; turn < 400 && quiet < 3; turn++) {
    await new Promise<void>((done) => setImmediate(done));
    const open = mock.state.log.some((entry) => entry.durationMs === undefined);
    const moved = mock.state.log.length !== lastLog || sends() !== lastSends;
    lastLog = mock.state.log.length;
    lastSends = sends();
    quiet = open || moved ? 0 : quiet + 1;
  }
}

const UPDATE_ENDPOINTS = new Set(['events', 'status', 'bulk']);

/**
 * Runs a case's driver on a tree, in virtual time (fake setTimeout/setInterval/Date, a seeded Math.random), against
 * a fresh in-process mock main server with one campaign, and measures it.
 */
export async function runCase(corpusCase: CorpusCase, treeDir: string, options: RunOptions = {}): Promise<RunResult> {
  const {
    recipients: count = 120,
    emailsPerMinute = 60,
    seed = 7,
    capMs = 4 * 3_600_000,
    drainMs = 60_000,
    faults,
  } = options;
  const started = performance.now();
  const [generated] = demoCampaigns({ seed, campaigns: 1, rates: [emailsPerMinute], recipients: count });
  // A campaign id of its own in every run, so a run that was given up on (a timeout) cannot write into the next.
  const run = ++runCounter;
  const demo: DemoCampaign = {
    campaign: { ...(generated as DemoCampaign).campaign, id: `cmp-${seed}-run${run}` },
    recipients: (generated as DemoCampaign).recipients.map((r, i) => ({
      ...r,
      id: `cmp-${seed}-run${run}-r${String(i + 1).padStart(5, '0')}`,
    })),
  };
  const { campaign: served, recipients } = demo;
  const campaign: DriverCampaign = {
    id: served.id,
    name: served.name,
    emailsPerMinute: served.emailsPerMinute,
    total: served.total,
    from: served.from,
    subject: served.subject,
    body: served.body,
  };
  const indexOf = new Map(recipients.map((r, i) => [r.email.toLowerCase(), i]));
  const sendTimes: number[] = [];
  const sentTo = new Map<string, number>();
  let nextId = 0;
  const mailer: Mailer = {
    async sendMail(message) {
      const to = String(message.to ?? '');
      const address = (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase();
      sendTimes.push(Date.now());
      sentTo.set(address, (sentTo.get(address) ?? 0) + 1);
      const failure = mailFailure(indexOf.get(address) ?? -1);
      if (failure) throw failure;
      nextId++;
      return { messageId: `<${campaign.id}.${nextId}@mail.corpus.test>` };
    },
  };

  const env = { ...process.env };
  const require = createRequire(join(treeDir, 'package.json'));
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockImplementation(seededRandom(seed));
  const mock = createMockServer({ seed, campaigns: [demo as DemoCampaign], ...(faults ? { faults } : {}) });
  const stop = startInProcess(mock);
  let settled: RunResult['settled'] | undefined;
  let error: string | undefined;
  let settledAt = 0;
  const silence = [vi.spyOn(console, 'log'), vi.spyOn(console, 'info'), vi.spyOn(console, 'warn')];
  for (const spy of silence) spy.mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'debug').mockImplementation(() => {});
  try {
    const driverUrl = pathToFileURL(join(corpusCase.dir, 'driver.mjs')).href;
    const driver = (await import(/* @vite-ignore */ driverUrl)) as {
      run(input: DriverInput): Promise<unknown>;
    };
    driver
      .run({ workerDir: treeDir, serverUrl: SERVER_URL, campaign, recipients, mailer })
      .then(
        () => {
          settled = 'resolved';
        },
        (reason: unknown) => {
          settled = 'rejected';
          error = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
        },
      )
      .finally(() => {
        settledAt = Date.now();
      });
    let idleSince: number | undefined;
    while (settled === undefined) {
      await settleIo(mock, () => sendTimes.length);
      if (settled !== undefined) break;
      if (Date.now() - T0 > capMs) {
        settled = 'timeout';
        break;
      }
      if (vi.getTimerCount() === 0) {
        // Waiting on something real (a module loading, a socket), or on nothing at all: give it 20 s of real time.
        idleSince ??= performance.now();
        if (performance.now() - idleSince > 20_000) {
          settled = 'stuck';
          break;
        }
        await sleepReal(2);
        continue;
      }
      idleSince = undefined;
      await vi.advanceTimersToNextTimerAsync();
    }
    if (settled === 'resolved' || settled === 'rejected') {
      // Let the worker's last timers (a trailing flush, a deferred call) make their requests.
      const until = Date.now() + drainMs;
      while (vi.getTimerCount() > 0 && Date.now() < until) {
        await vi.advanceTimersToNextTimerAsync();
        await settleIo(mock, () => sendTimes.length);
      }
    }
  } finally {
    if (settled === 'timeout' || settled === 'stuck') settledAt = Date.now();
    stop();
    vi.clearAllTimers();
    vi.useRealTimers();
    vi.restoreAllMocks();
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
    for (const key of Object.keys(require.cache)) if (key.startsWith(treeDir)) delete require.cache[key];
  }

  const updates = mock.state.log.filter(
    (entry) =>
      UPDATE_ENDPOINTS.has(entry.endpoint) && (entry.endpoint === 'bulk' || entry.campaigns.includes(campaign.id)),
  );
  let minGapMs: number | null = null;
  for (let i = 1; i < updates.length; i++) {
    const gap = (updates[i]?.at ?? 0) - (updates[i - 1]?.at ?? 0);
    minGapMs = minGapMs === null ? gap : Math.min(minGapMs, gap);
  }
  const byEndpoint: Record<string, number> = {};
  for (const entry of updates) byEndpoint[entry.endpoint] = (byEndpoint[entry.endpoint] ?? 0) + 1;
  const perRecipient = new Map<string, number>();
  for (const event of mock.state.events.get(campaign.id) ?? []) {
    perRecipient.set(event.recipientId, (perRecipient.get(event.recipientId) ?? 0) + 1);
  }
  const known = new Set(recipients.map((r) => r.id));
  const missing = recipients.filter((r) => !perRecipient.has(r.id)).length;
  let duplicated = 0;
  let unknown = 0;
  for (const [id, n] of perRecipient) {
    if (!known.has(id)) unknown += n;
    else duplicated += n - 1;
  }
  const first = sendTimes[0];
  const last = sendTimes.at(-1);
  const span = first !== undefined && last !== undefined ? last - first : 0;
  return {
    settled: settled ?? 'stuck',
    error,
    requests: updates.length,
    byEndpoint,
    failedRequests: updates.filter((entry) => entry.status < 200 || entry.status >= 300).length,
    minGapMs,
    recipients: recipients.length,
    missing,
    duplicated,
    unknown,
    finalState: mock.state.statuses.get(campaign.id)?.state,
    sends: sendTimes.length,
    doubleSends: [...sentTo.values()].filter((n) => n > 1).length,
    sendsPerMinute: span > 0 ? ((sendTimes.length - 1) / span) * 60_000 : null,
    virtualMs: settledAt - T0,
    wallMs: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The table.

export interface Row {
  readonly caseName: string;
  readonly variant: Variant;
  readonly prepared: PreparedVariant;
  readonly run: RunResult | undefined;
  readonly baseline: RunResult | undefined;
}

const seconds = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(1));
const rate = (value: number | null | undefined) => (value === null || value === undefined ? '-' : value.toFixed(1));

/** One line per case and variant, in columns. */
export function formatTable(rows: readonly Row[]): string {
  const header = [
    'case',
    'variant',
    'outcome',
    'requests',
    'min gap s',
    'missing',
    'dup',
    'final',
    'sends/min',
    'todo',
    'idem',
    'comments',
    'run',
    'pass',
  ];
  const lines = rows.map(({ caseName, variant, prepared, run, baseline }) => {
    const outcome =
      prepared.outcome === 'changed' && prepared.steps.some((step) => step.refusals.length > 0)
        ? 'changed*'
        : prepared.outcome;
    const requests =
      variant === 'original' ? String(run?.requests ?? '-') : `${baseline?.requests ?? '-'} → ${run?.requests ?? '-'}`;
    const sendRate =
      variant === 'original'
        ? rate(run?.sendsPerMinute)
        : `${rate(baseline?.sendsPerMinute)} → ${rate(run?.sendsPerMinute)}`;
    const runState =
      run === undefined
        ? 'not run'
        : run.settled === 'resolved'
          ? `${(run.virtualMs / 60_000).toFixed(1)} vmin`
          : `${run.settled}${run.error ? `: ${run.error.slice(0, 60)}` : ''}`;
    return [
      caseName,
      variant,
      outcome,
      requests,
      seconds(run?.minGapMs ?? null),
      String(run?.missing ?? '-'),
      String(run?.duplicated ?? '-'),
      run?.finalState ?? '-',
      sendRate,
      variant === 'original' ? '-' : String(prepared.steps.reduce((n, step) => n + step.review.length, 0)),
      prepared.idempotent === undefined ? '-' : prepared.idempotent ? 'yes' : 'NO',
      prepared.comments === undefined ? '-' : `${prepared.comments.kept}/${prepared.comments.total}`,
      runState,
      variant === 'original' ? '-' : passes({ caseName, variant, prepared, run, baseline }) ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

/** A clean run: it settled, every event once, the final status `completed`. */
export function isClean(run: RunResult | undefined): boolean {
  return (
    run !== undefined &&
    run.settled === 'resolved' &&
    run.missing === 0 &&
    run.duplicated === 0 &&
    run.unknown === 0 &&
    run.finalState === 'completed'
  );
}

/**
 * Whether a transformed variant passes the issue's bar. Every transformed worker: it ran clean (every event once,
 * `completed`), at least 15 s between two update requests, and a second application changed nothing. A migrated
 * one also makes at most half the legacy requests; a hotfixed one keeps at least 95 % of the legacy send rate.
 */
export function passes(row: Row): boolean {
  const { prepared, run, baseline, variant } = row;
  if (variant === 'original' || prepared.outcome !== 'changed' || !isClean(run) || run === undefined) return false;
  if (prepared.idempotent !== true || run.minGapMs === null || run.minGapMs < 15_000) return false;
  if (variant === 'hotfix') {
    const before = baseline?.sendsPerMinute;
    return (
      before !== null && before !== undefined && run.sendsPerMinute !== null && run.sendsPerMinute >= 0.95 * before
    );
  }
  return baseline !== undefined && run.requests * 2 <= baseline.requests;
}

/** `corpus: N of M migrated, K refused with reasons` for one transform's variant. */
export function corpusLine(label: string, rows: readonly Row[]): string {
  const migrated = rows.filter(passes);
  const refused = rows.filter(
    (row) => row.prepared.outcome !== 'changed' && row.prepared.steps.some((step) => step.refusals.length > 0),
  );
  const changed = rows.filter((row) => row.prepared.outcome === 'changed');
  const unchanged = rows.filter((row) => row.prepared.outcome === 'unchanged');
  const errors = rows.filter(
    (row) => row.prepared.steps.some((step) => step.errors.length > 0) || row.prepared.failure,
  );
  return (
    `corpus: ${label}: ${migrated.length} of ${rows.length} migrated, ${refused.length} refused with reasons ` +
    `(${changed.length} changed, ${changed.length - migrated.length} of them short of the bar; ${unchanged.length} ` +
    `unchanged without a reason; ${errors.length} with errors)`
  );
}

/** What the transforms reported (refusals, errors or review notes) over a set of rows, most frequent first. */
/**
 * What the migration did with each worker's plumbing: the workers whose outcome buffer went, whose retry loops went
 * (how many loops), and, for every worker that keeps some, what it keeps and why (the reason as the report gives it,
 * without the file and line).
 */
export function plumbingLines(rows: readonly Row[]): string[] {
  const migrated = rows.filter((row) => row.variant === 'migration' && row.prepared.outcome === 'changed');
  const entries = (row: Row, list: 'removed' | 'kept') => row.prepared.steps.flatMap((step) => step[list]);
  const reason = (entry: string) => entry.replace(/^[^:]*:\d+: /, '');
  const buffers = migrated.filter((row) => entries(row, 'removed').some((e) => /the outcome buffer/.test(e)));
  const loops = migrated.map((row) => ({
    row,
    n: entries(row, 'removed').filter((e) => /the retry loop/.test(e)).length,
  }));
  const withLoops = loops.filter((l) => l.n > 0);
  const lines = [
    `plumbing (migration): outcome buffer removed in ${buffers.length} of ${migrated.length} migrated workers: ${buffers.map((r) => r.caseName).join(', ') || 'none'}`,
    `plumbing (migration): retry loops removed in ${withLoops.length} workers (${withLoops.reduce((n, l) => n + l.n, 0)} loops): ${withLoops.map((l) => `${l.row.caseName} (${l.n})`).join(', ') || 'none'}`,
  ];
  const keeps = migrated
    .map((row) => ({
      row,
      kept: entries(row, 'kept')
        .map(reason)
        .filter((e) => /^the (outcome buffer|retry loop|status timer)/.test(e)),
    }))
    .filter((k) => k.kept.length > 0);
  lines.push(`plumbing (migration): kept in ${keeps.length} workers:`);
  for (const { row, kept } of keeps) {
    lines.push(`  ${row.caseName}`);
    for (const entry of kept) lines.push(`     ${entry.length > 200 ? `${entry.slice(0, 197)}…` : entry}`);
  }
  return lines;
}

export function reportedReasons(
  rows: readonly Row[],
  kind: 'refusals' | 'errors' | 'review',
): Array<{ reason: string; cases: string[] }> {
  const byReason = new Map<string, Set<string>>();
  const note = (reason: string, where: string) => {
    const cases = byReason.get(reason) ?? new Set<string>();
    cases.add(where);
    byReason.set(reason, cases);
  };
  for (const row of rows) {
    for (const step of row.prepared.steps) {
      if (kind === 'refusals') {
        for (const refusal of step.refusals) {
          const line = refusal.line === undefined ? '' : `:${refusal.line}`;
          note(`${step.transform}: ${refusal.reason}`, `${row.caseName} (${refusal.file}${line})`);
        }
      } else {
        for (const entry of kind === 'errors' ? step.errors : step.review) {
          const at = entry.indexOf(': ');
          const file = at >= 0 ? entry.slice(0, at) : '';
          note(`${step.transform}: ${at >= 0 ? entry.slice(at + 2) : entry}`, `${row.caseName} (${file})`);
        }
      }
    }
  }
  return [...byReason.entries()]
    .map(([reason, cases]) => ({ reason, cases: [...cases] }))
    .sort((a, b) => b.cases.length - a.cases.length);
}
