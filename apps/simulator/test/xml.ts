/** An element of a parsed XML document: its name, attributes, child elements and text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(content: string, where: string): string {
  const rest = content.replace(ENTITY, '');
  if (/[<&]/.test(rest)) throw new Error(`a raw < or & in ${where}: ${content.slice(0, 60)}`);
  return content
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * A strict parser for the XML the chart writes (elements, attributes, text, entities; no DOCTYPE, CDATA or
 * processing instructions): throws on anything not well-formed, so a test can tell the SVG parses as XML.
 */
export function parseXml(source: string): XmlElement {
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->/y;
  const attribute = /([A-Za-z_][\w:.-]*)\s*=\s*"([^"]*)"/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = 0;
  while (at < source.length) {
    const next = source.indexOf('<', at);
    const chunk = source.slice(at, next === -1 ? source.length : next);
    if (chunk.trim() !== '') {
      const parent = stack[stack.length - 1];
      if (!parent) throw new Error(`text outside the root element: ${chunk.slice(0, 60)}`);
      parent.text += checkText(chunk, `<${parent.name}>`);
    }
    if (next === -1) break;
    token.lastIndex = next;
    const match = token.exec(source);
    if (!match) throw new Error(`not a well-formed tag at ${next}: ${source.slice(next, next + 60)}`);
    at = token.lastIndex;
    const [whole, closing, name, attrs, selfClosing] = match;
    if (whole.startsWith('<!--')) continue;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (attrs ?? '').matchAll(attribute)) {
      if (key === undefined || value === undefined) continue;
      if (key in attributes) throw new Error(`attribute ${key} twice on <${name}>`);
      attributes[key] = checkText(value, `the ${key} attribute of <${name}>`);
    }
    const element: XmlElement = { name: name as string, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error('a second root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element of a tree, depth first. */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}
