/**
 * Escapes text for XML, SVG and HTML element content and attribute values:
 * `& < > " '` become entities, and characters XML 1.0 cannot hold (C0
 * controls other than tab, newline, carriage return; lone surrogates;
 * U+FFFE/U+FFFF) are dropped. Every name that comes from a user (scenario
 * name, description, file name) passes through here before it is written
 * into a report, so `<img src=x onerror=alert(1)>` stays text.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
