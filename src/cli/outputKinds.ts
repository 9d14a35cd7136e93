import type { OutputKind } from './writeTextFile.ts';

/** A JUnit file midpath wrote: recognised by its exact first two lines (the XML declaration, then `<testsuites name="midpath"`). */
export const JUNIT_FILE: OutputKind = {
  what: 'a JUnit file',
  isOwn: (text) => /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="midpath"[ >]/.test(text),
};
