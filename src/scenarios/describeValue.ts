/** Longest string shown verbatim in a message before it is cut. */
const MAX_SHOWN = 40;

/**
 * A short, safe description of a value found in a scenario file, for error
 * messages: `'on'`, `59`, `1e+400`-style numbers as `Infinity`, `a list`,
 * `a mapping`. Never throws, whatever the value (symbols, proxies aside).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
      return `'${cut.replace(/[\u0000-\u001f\u007f'\\]/g, (c) => (c === "'" ? "\\'" : c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}'`;
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'undefined':
      return 'nothing';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'a list' : 'a mapping';
  }
  return 'an unknown value';
}
