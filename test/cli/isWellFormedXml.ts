/**
 * A small well-formedness check for the XML midpath writes: a declaration,
 * balanced and properly nested elements, attribute values in quotes without
 * a raw `<`, and no `&` outside the five predefined entities.
 */
export function isWellFormedXml(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(body)) return false;
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|</g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body)) !== null) {
    if (m[2] === undefined) return false;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else if (m[4] !== '/') stack.push(m[2]);
  }
  return stack.length === 0;
}
