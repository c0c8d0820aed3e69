/**
 * Small helpers to read the loosely typed tree that fast-xml-parser produces.
 */

/** A parsed XML element: child name to value (string, element or array of either). */
export type XmlNode = { [name: string]: XmlValue };
/** Any value produced by the parser. */
export type XmlValue = string | XmlNode | XmlValue[];

/**
 * Returns the trimmed text of a child element, or undefined when absent or empty.
 * @param node - the parent element.
 * @param name - the child name.
 * @returns the text or undefined.
 */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  return undefined;
}

/**
 * Returns the child elements with a name as an array (an empty element yields none).
 * @param node - the parent element.
 * @param name - the child name.
 * @returns the child elements.
 */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && !Array.isArray(v));
}

/**
 * Returns the first child element with a name.
 * @param node - the parent element.
 * @param name - the child name.
 * @returns the element or undefined.
 */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/**
 * Splits a `; `-separated list (CVX codes, series groups) into trimmed items.
 * @param value - the list text.
 * @returns the items.
 */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Returns the trimmed texts of every child element with a name (repeated elements).
 * @param node - the parent element.
 * @param name - the child name.
 * @returns the non-empty texts.
 */
export function texts(node: XmlNode | undefined, name: string): string[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}
