import { parseSweepDocument } from '../sweep/sweepDocument.ts';
import type { OutputKind } from './writeTextFile.ts';

// Apart from outputKinds.ts so that `check` does not load the sweep document's schema.
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
