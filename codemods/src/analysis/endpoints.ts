import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';

/** Where a legacy worker's helpers send events and statuses, as `createHttpTransport` options' source text. */
export interface Endpoints {
  /** `(campaignId) => \`/api/…/events\`` when the helper's path is not the default one. */
  readonly events?: string;
  readonly status?: string;
  /** An object literal of the constant headers the helpers send. */
  readonly headers?: string;
  /** What could not be read, for the report. */
  readonly notes: string[];
}

// Source text of template literals (what the generated code will contain), built so no string looks like a slip.
const CAMPAIGN = `$\{campaignId}`;
const DEFAULT_PATH = { events: `/api/campaigns/${CAMPAIGN}/events`, status: `/api/campaigns/${CAMPAIGN}/status` };

function moduleFile(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return ['', '.js', '.cjs', '.mjs', '.ts', '.mts', '.cts', '/index.js', '/index.ts']
    .map((ext) => base + ext)
    .find(existsSync);
}

/**
 * Follows the update helpers a worker imports to the module that defines them (project-wide, with ts-morph) and
 * reads the URL each one builds (`${base}/path/${campaignId}/events`) and the constant headers it sends.
 */
export function helperEndpoints(
  file: string,
  helpers: ReadonlyMap<string, { kind: 'events' | 'status'; module: string }>,
): Endpoints {
  const notes: string[] = [];
  const project = new Project({ compilerOptions: { allowJs: true }, skipAddingFilesFromTsConfig: true });
  const found: { events?: string; status?: string; headers?: string } = {};
  for (const [name, { kind, module }] of helpers) {
    const path = moduleFile(file, module);
    if (!path) {
      notes.push(`${name}() comes from ${module}, which was not found: the default ${kind} endpoint is assumed`);
      continue;
    }
    const source = project.addSourceFileAtPath(path);
    const definition = source.getFunction(name) ?? source.getVariableDeclaration(name)?.getInitializer();
    if (!definition) {
      notes.push(`${name}() is not defined in ${module}: the default ${kind} endpoint is assumed`);
      continue;
    }
    const template = definition
      .getDescendantsOfKind(SyntaxKind.TemplateExpression)
      .find((t) => t.getText().includes(`/${kind}`));
    if (!template) {
      notes.push(`${name}() builds no \`…/${kind}\` URL that can be read: the default endpoint is assumed`);
      continue;
    }
    // `${base}/api/campaigns/${campaignId}/events`: drop the base, name the campaign.
    const spans = template.getTemplateSpans();
    const campaignParam = spans
      .find((span) => /campaign/i.test(span.getExpression().getText()))
      ?.getExpression()
      .getText();
    const text = template.getText().slice(1, -1);
    const path_ = text.replace(/^\$\{[^}]+\}/, '').replaceAll(`\${${campaignParam}}`, CAMPAIGN);
    if (!campaignParam || path_.includes(CAMPAIGN) === false) {
      notes.push(
        `${name}() builds ${template.getText()}: which part names the campaign is unclear; the default endpoint is assumed`,
      );
      continue;
    }
    if (path_ !== DEFAULT_PATH[kind]) found[kind] = `(campaignId) => \`${path_}\``;
    const headers = definition
      .getDescendantsOfKind(SyntaxKind.PropertyAssignment)
      .find((p) => p.getName() === 'headers')
      ?.getInitializer();
    if (headers && Node.isObjectLiteralExpression(headers)) {
      const constant = headers
        .getProperties()
        .every((p) => Node.isPropertyAssignment(p) && Node.isStringLiteral(p.getInitializer()));
      const onlyContentType = headers
        .getProperties()
        .every((p) => Node.isPropertyAssignment(p) && /content-type/i.test(p.getName()));
      if (!constant)
        notes.push(`${name}() sends headers that are not constant: add them to createHttpTransport's headers`);
      else if (!onlyContentType) found.headers ??= headers.getText();
    }
  }
  return { ...found, notes };
}
