import { InputFileError, readInputText } from '../node/readInputFile.ts';
import { escapeText } from './escapeText.ts';
import { mergeSweepDocuments, missingShards, parseSweepDocument, SweepDocumentError, type SweepDocument } from '../sweep/sweepDocument.ts';
import { formatSweep } from './formatSweep.ts';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs, stringOption } from './parseCommandArgs.ts';
import { InputError, UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';
import { writeTextFile } from './writeTextFile.ts';
import { inputFiles } from './inputFiles.ts';
import { SWEEP_FILE } from './sweepFileKind.ts';

const COMMAND = 'merge';

/** @throws InputError naming the file when it cannot be read or is not a sweep file (text from the file escaped) */
function readSweepFile(path: string): SweepDocument {
  let text: string;
  try {
    text = readInputText(path, 'a sweep file');
  } catch (e) {
    if (e instanceof InputFileError) throw new InputError(escapeText(e.message));
    throw e;
  }
  try {
    return parseSweepDocument(text, path);
  } catch (e) {
    if (e instanceof SweepDocumentError) throw new InputError(escapeText(e.message));
    throw e;
  }
}

/**
 * `midpath merge <sweep.json>... [--out FILE] [--json]`: joins the files
 * that `midpath sweep --shard k/n --out FILE` wrote into one sweep result
 * and prints its boundaries. Exit 0 when every shard is present, 3 when
 * some are missing (the result is partial), 2 for files that cannot be
 * read or come from different sweeps.
 */
export function runMerge(argv: readonly string[], io: Io): number {
  const { values, positionals } = parseCommandArgs(COMMAND, argv, { out: { type: 'string' }, json: { type: 'boolean' } });
  if (values['help'] === true) {
    io.out(`${USAGE.merge}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(COMMAND, 'missing sweep files: name the files midpath sweep --out wrote');
  const docs = positionals.map((name) => ({ name, doc: readSweepFile(name) }));
  let merged: SweepDocument;
  try {
    merged = mergeSweepDocuments(docs);
  } catch (e) {
    if (e instanceof SweepDocumentError) throw new InputError(escapeText(e.message));
    throw e;
  }
  const out = stringOption(values, 'out');
  if (out !== undefined) writeTextFile(out, `${JSON.stringify(merged, null, 2)}\n`, SWEEP_FILE, inputFiles(positionals));
  if (values['json'] === true) io.out(`${JSON.stringify(merged, null, 2)}\n`);
  else io.out(`${formatSweep(merged, 'merge')}${out === undefined ? '' : `wrote ${out}\n`}`);
  const missing = missingShards(merged);
  if (missing.length > 0) {
    io.err(`midpath merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${merged.coverage.shards}`).join(', ')} missing: the result is partial\n`);
    return EXIT.incomplete;
  }
  return EXIT.ok;
}
