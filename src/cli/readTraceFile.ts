import type { Topology } from '../system/topology.ts';
import type { Trace } from '../system/trace.ts';
import { InputFileError, readInputText } from '../node/readInputFile.ts';
import { escapeText } from './escapeText.ts';
import { describeIssue } from './describeIssue.ts';
import { traceSchema } from './traceSchema.ts';
import { InputError } from './usageError.ts';

/**
 * Parses JSON text without echoing it: the message gives the position of
 * the first error, never the text around it.
 *
 * @throws InputError naming the file
 */
export function parseJsonText(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new InputError(`${escapeText(path)}: not JSON${at === undefined ? '' : ` (syntax error at character ${at})`}; ${what}`);
  }
}

/**
 * Reads a `*.trace.json` file that `midpath check --out` wrote (format
 * `midpath-trace/1`), checking its shape (traceSchema.ts) before anything
 * uses it. The file must be a regular file of at most 1 MiB (enforced
 * while reading); a UTF-8 byte-order mark is accepted. Messages name the
 * field and quote at most a short, escaped excerpt of its value.
 *
 * @throws InputError naming the file and the first field that is wrong
 */
export function readTraceFile(path: string): Trace {
  let text: string;
  try {
    text = readInputText(path, 'a trace file');
  } catch (e) {
    if (e instanceof InputFileError) throw new InputError(escapeText(e.message));
    throw e;
  }
  const value = parseJsonText(text, path, 'a trace file is the JSON that midpath check --out wrote');
  const parsed = traceSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`${escapeText(path)}: not a midpath trace (format midpath-trace/1): ${describeIssue(parsed.error.issues[0], value)}`);
  const trace = value as Trace;
  return parsed.data.topology === undefined ? trace : { ...trace, topology: parsed.data.topology as Topology };
}

