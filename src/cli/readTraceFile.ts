import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Trace } from '../system/trace.ts';
import { InputError } from './usageError.ts';

const role = z.enum(['client', 'server']);
const hop = z.object({
  component: z.string(),
  action: z.enum(['forward', 'drop', 'reset', 'deliver']),
  chosenTarget: z.number().int().nonnegative().optional(),
  target: z.number().int().nonnegative().optional(),
  reason: z.string().optional(),
  resetTo: z.enum(['client', 'server', 'both']).optional(),
});
const step = z.object({
  time: z.number().finite().nonnegative(),
  kind: z.enum(['init', 'timer', 'app', 'segment']),
  actor: z.string(),
  text: z.string(),
  segment: z.object({ conn: z.number().int().nonnegative().max(1023), from: role, kind: z.enum(['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive']) }).optional(),
  hops: z.array(hop).optional(),
  outcome: z.enum(['delivered', 'dropped', 'reset']).optional(),
  action: z.string().optional(),
  logs: z.array(z.object({ component: z.string(), conn: z.number(), reason: z.string() })),
  states: z.record(z.string(), z.string()),
  clocks: z.array(z.string()),
  zone: z.array(z.string()).optional(),
  violates: z.array(z.string()),
});
const trace = z
  .object({
    format: z.literal('midpath-trace/1'),
    scenario: z.string(),
    property: z.string(),
    violationStep: z.number().int().nonnegative(),
    steps: z.array(step).min(1),
  })
  .refine((t) => t.violationStep < t.steps.length, { message: 'violationStep is past the last step', path: ['violationStep'] });

/**
 * Reads a `*.trace.json` file that `midpath check --out` wrote (format
 * `midpath-trace/1`), checking its shape before anything uses it.
 *
 * @throws InputError naming the file and the first field that is wrong
 */
export function readTraceFile(path: string): Trace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a trace file' : 'cannot read the file'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = trace.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new InputError(`${path}: not a midpath trace (format midpath-trace/1): ${where}${issue?.message ?? 'invalid'}`);
  }
  return value as Trace;
}
