/** An element as xml2js (under rss-parser) hands it over: text, or an object with `_` text, `$` attributes, children. */
export type XmlNode = string | XmlElement;
export interface XmlElement {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}

export function isElement(v: unknown): v is XmlElement {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The child elements named `name`, always an array. */
export function children(node: unknown, name: string): XmlNode[] {
  if (!isElement(node)) return [];
  const v = node[name];
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

export function child(node: unknown, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** The character data of an element (`_` when it also has attributes or children); undefined when it has none. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (isElement(node) && typeof node._ === 'string') return node._;
  return undefined;
}

/** Text of the first child named `name` that has non-blank text. */
export function childText(node: unknown, ...names: string[]): string | undefined {
  for (const name of names) {
    for (const c of children(node, name)) {
      const t = textOf(c);
      if (t !== undefined && t.trim() !== '') return t;
    }
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (!isElement(node) || !node.$) return undefined;
  const v = node.$[name];
  return typeof v === 'string' ? v : undefined;
}

/** Resolve `href` against `base`; the input unchanged when either is unusable. */
export function resolveAgainst(href: string, base: string | undefined): string {
  if (!base) return href;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    // Not resolvable (a bad base or a malformed href): normalize decides what to do with the raw value.
    return href;
  }
}

/** The base in force inside `node`: its `xml:base` resolved against the parent's base. */
export function baseOf(node: unknown, parentBase: string | undefined): string | undefined {
  const b = attr(node, 'xml:base');
  if (b === undefined || b.trim() === '') return parentBase;
  return resolveAgainst(b, parentBase);
}
