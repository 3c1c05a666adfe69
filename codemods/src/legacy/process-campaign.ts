import { Node, type SourceFile, SyntaxKind } from 'ts-morph';

/** Where a `processCampaign` is defined, and whether its body can be read. */
export interface ProcessCampaign {
  readonly file: string;
  readonly line: number;
  /** Its body, for a function, method or arrow written here; undefined when it is taken from a value made at run time. */
  readonly body: Node | undefined;
  /** The value it is taken from when it is not written here (`runners.campaign`). */
  readonly takenFrom: string | undefined;
  /** The campaign it runs, when the body reads its `id` and `emailsPerMinute`: the name and where it is in scope. */
  readonly campaign: { readonly name: string; readonly after: Node | undefined } | undefined;
}

const NAME = 'processCampaign';

function isFunction(node: Node | undefined): node is Node & { getBody(): Node | undefined; getParameters(): Node[] } {
  return (
    node !== undefined &&
    (Node.isFunctionDeclaration(node) ||
      Node.isFunctionExpression(node) ||
      Node.isArrowFunction(node) ||
      Node.isMethodDeclaration(node))
  );
}

/**
 * Every `processCampaign` defined in a file: a function declaration, a variable's arrow or function, an
 * `exports.processCampaign =`, a method of a class or object literal, a property assigned a function; or a name
 * taken from elsewhere at run time (`const processCampaign = runners.campaign`), whose body cannot be followed.
 */
export function findProcessCampaigns(file: SourceFile, path: string): ProcessCampaign[] {
  const found: ProcessCampaign[] = [];
  const add = (at: Node, value: Node | undefined) => {
    let inner = value;
    while (inner && (Node.isParenthesizedExpression(inner) || Node.isAsExpression(inner)))
      inner = inner.getExpression();
    if (isFunction(inner)) {
      const body = inner.getBody();
      found.push({
        file: path,
        line: at.getStartLineNumber(),
        body,
        takenFrom: undefined,
        campaign: campaignOf(inner, body),
      });
    } else if (
      inner &&
      (Node.isPropertyAccessExpression(inner) || Node.isElementAccessExpression(inner) || Node.isCallExpression(inner))
    ) {
      found.push({
        file: path,
        line: at.getStartLineNumber(),
        body: undefined,
        takenFrom: inner.getText().replace(/\s+/g, ''),
        campaign: undefined,
      });
    }
  };
  for (const node of file.getDescendants()) {
    if ((Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node)) && node.getName() === NAME)
      add(node, node);
    else if (Node.isVariableDeclaration(node) && node.getName() === NAME) add(node, node.getInitializer());
    else if (Node.isPropertyAssignment(node) && node.getName() === NAME) add(node, node.getInitializer());
    else if (Node.isPropertyDeclaration(node) && node.getName() === NAME) add(node, node.getInitializer());
    else if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
      const left = node.getLeft();
      if (Node.isPropertyAccessExpression(left) && left.getName() === NAME) add(node, node.getRight());
    }
  }
  // `exports.processCampaign = async function processCampaign(…)` is one definition, not two.
  return found.filter(
    (p, i) => found.findIndex((q) => q.body !== undefined && q.body === p.body) === i || p.body === undefined,
  );
}

/**
 * The campaign a `processCampaign` runs: a parameter, or a constant at the top of its body, whose `id` and
 * `emailsPerMinute` the body reads.
 */
function campaignOf(fn: Node & { getParameters(): Node[] }, body: Node | undefined): ProcessCampaign['campaign'] {
  if (body === undefined || !Node.isBlock(body)) return undefined;
  const reads = new Map<string, Set<string>>();
  for (const access of body.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const object = access.getExpression();
    if (!Node.isIdentifier(object)) continue;
    const names = reads.get(object.getText()) ?? new Set<string>();
    names.add(access.getName());
    reads.set(object.getText(), names);
  }
  const runs = (name: string) => {
    const names = reads.get(name);
    return names?.has('id') === true && names.has('emailsPerMinute');
  };
  for (const parameter of fn.getParameters()) {
    const name = (parameter as Node & { getNameNode(): Node }).getNameNode();
    if (Node.isIdentifier(name) && runs(name.getText())) return { name: name.getText(), after: undefined };
  }
  for (const statement of body.getStatements()) {
    if (!Node.isVariableStatement(statement)) continue;
    for (const declaration of statement.getDeclarations()) {
      const name = declaration.getNameNode();
      if (Node.isIdentifier(name) && runs(name.getText())) return { name: name.getText(), after: statement };
    }
  }
  return undefined;
}
