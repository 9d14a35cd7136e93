/**
 * A field path as users write it: `path[0].appliances.count`,
 * `expect.no-mid-path-drop`; keys that are not plain names are quoted:
 * `client["keep alive"]`.
 */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'symbol') out += '[symbol]';
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg.length > 40 ? `${seg.slice(0, 40)}…` : seg)}]`;
  }
  return out;
}
