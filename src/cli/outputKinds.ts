import { parseSweepDocument } from '../sweep/sweepDocument.ts';
import type { OutputKind } from './writeTextFile.ts';

/** A JUnit file midpath wrote: recognised by its exact first two lines (the XML declaration, then `<testsuites name="midpath"`). */
export const JUNIT_FILE: OutputKind = {
  what: 'a JUnit file',
  isOwn: (text) => /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="midpath"[ >]/.test(text),
};

/** A sweep file midpath wrote: one that parses as a `midpath-sweep/1` document. */
export const SWEEP_FILE: OutputKind = {
  what: 'a midpath sweep file',
  isOwn: (text) => {
    try {
      parseSweepDocument(text, 'existing');
      return true;
    } catch {
      return false;
    }
  },
};
