import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Node, Project, type SourceFile, SyntaxKind } from 'ts-morph';
import type { UpdateHelper } from './updates.js';

/** Where a legacy worker's helpers send events and statuses, as `createHttpTransport` options' source text. */
export interface Endpoints {
  /** `(campaignId) => \`/api/…/events\`` when the helper's path is not the default one. */
  readonly events?: string;
  readonly status?: string;
  /** An object literal of the constant headers the helpers send. */
  readonly headers?: string;
  /** What could not be read, for the report; each is also marked TODO in the code. */
  readonly notes: string[];
}

// Source text of template literals (what the generated code will contain), built so no string looks like a slip.
const CAMPAIGN = `$\{campaignId}`;
const DEFAULT_PATH = { events: `/api/campaigns/${CAMPAIGN}/events`, status: `/api/campaigns/${CAMPAIGN}/status` };

// A TypeScript project imports `./api.js` for `./api.ts`; `.mjs`/`.cjs` likewise name `.mts`/`.cts`.
const SOURCE_OF = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] } as const;

function moduleFile(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const emitted = /\.[cm]?js$/.exec(base)?.[0] as keyof typeof SOURCE_OF | undefined;
  const candidates = [
    ...['', '.js', '.cjs', '.mjs', '.ts', '.mts', '.cts', '/index.js', '/index.ts'].map((ext) => base + ext),
    ...(emitted ? SOURCE_OF[emitted].map((ext) => base.slice(0, -emitted.length) + ext) : []),
  ];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/**
 * A function a module defines under `name`: `function name`, `const name = …`, `export default function name`,
 * `exports.name = …`, `module.exports.name = …`, or a method or property of `module.exports = { … }`.
 */
function definitionOf(source: SourceFile, name: string): Node | undefined {
  const direct = source.getFunction(name) ?? source.getVariableDeclaration(name)?.getInitializer();
  if (direct) return direct;
  for (const assignment of source.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
    const left = assignment.getLeft().getText();
    const right = assignment.getRight();
    if (left === `exports.${name}` || left === `module.exports.${name}`) return right;
    if (left === 'module.exports' && Node.isObjectLiteralExpression(right)) {
      const member = right.getProperty(name);
      if (Node.isPropertyAssignment(member)) return member.getInitializer();
      if (member) return member;
    }
  }
  return undefined;
}

/** The URL template a helper builds: the one that names the campaign, the one ending in its kind first. */
function urlTemplate(definition: Node, kind: 'events' | 'status') {
  const templates = definition
    .getDescendantsOfKind(SyntaxKind.TemplateExpression)
    .filter((t) => t.getTemplateSpans().some((span) => /campaign/i.test(span.getExpression().getText())));
  return templates.find((t) => t.getText().includes(`/${kind}`)) ?? (templates.length === 1 ? templates[0] : undefined);
}

/** `${base}/api/campaigns/${campaignId}/events` → `/api/campaigns/${campaignId}/events`, or undefined if unclear. */
function pathOf(template: Node): string | undefined {
  if (!Node.isTemplateExpression(template)) return undefined;
  const campaignParam = template
    .getTemplateSpans()
    .find((span) => /campaign/i.test(span.getExpression().getText()))
    ?.getExpression()
    .getText();
  const path = template
    .getText()
    .slice(1, -1)
    .replace(/^\$\{[^}]+\}/, '')
    .replaceAll(`\${${campaignParam}}`, CAMPAIGN);
  return campaignParam && path.startsWith('/') && path.includes(CAMPAIGN) && !/\$\{(?!campaignId\})/.test(path)
    ? path
    : undefined;
}

/** The constant headers a helper sends (beyond Content-Type), or a note when they are not constant. */
function headersOf(definition: Node): { text?: string; note?: string } {
  const headers = definition
    .getDescendantsOfKind(SyntaxKind.PropertyAssignment)
    .find((p) => p.getName() === 'headers')
    ?.getInitializer();
  if (!headers || !Node.isObjectLiteralExpression(headers)) return {};
  const properties = headers.getProperties();
  if (!properties.every((p) => Node.isPropertyAssignment(p) && Node.isStringLiteral(p.getInitializer())))
    return { note: 'sends headers that are not constant: add them to createHttpTransport({ headers })' };
  if (properties.every((p) => Node.isPropertyAssignment(p) && /content-type/i.test(p.getName()))) return {};
  return { text: headers.getText() };
}

/**
 * Follows the update helpers a worker imports to the module that defines them (project-wide, with ts-morph) and
 * reads the URL each one builds (`${base}/path/${campaignId}/events`) and the constant headers it sends. What
 * cannot be read leaves the default endpoint in place and a note saying so.
 */
export function helperEndpoints(file: string, helpers: Iterable<UpdateHelper>): Endpoints {
  const notes: string[] = [];
  const project = new Project({ compilerOptions: { allowJs: true }, skipAddingFilesFromTsConfig: true });
  const found: { events?: string; status?: string; headers?: string } = {};
  const assumed = (kind: 'events' | 'status') => `the default ${kind} endpoint (${DEFAULT_PATH[kind]}) is assumed`;
  for (const { callee, exported, kind, module } of helpers) {
    const path = moduleFile(file, module);
    if (!path) {
      notes.push(`${callee}() comes from ${module}, which was not found: ${assumed(kind)}`);
      continue;
    }
    const definition = definitionOf(project.addSourceFileAtPath(path), exported);
    if (!definition) {
      notes.push(`${callee}() is not defined in ${module}: ${assumed(kind)}`);
      continue;
    }
    const headers = headersOf(definition);
    if (headers.note) notes.push(`${callee}() ${headers.note}`);
    if (headers.text) found.headers ??= headers.text;
    const template = urlTemplate(definition, kind);
    const urlPath = template && pathOf(template);
    if (urlPath === undefined) {
      const built = template ? `builds ${template.getText()}` : 'builds no URL that names the campaign';
      notes.push(`${callee}() ${built}: ${assumed(kind)}`);
    } else if (urlPath !== DEFAULT_PATH[kind]) found[kind] ??= `(campaignId) => \`${urlPath}\``;
  }
  return { ...found, notes };
}
