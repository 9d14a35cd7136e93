import { formatFieldPath } from '../scenarios/formatFieldPath.ts';
import { parseFieldPath, type FieldSegments } from '../sweep/fieldPath.ts';
import type { Shard, SweepAxis } from '../sweep/sweep.ts';
import { UsageError } from './usageError.ts';

/** A parsed `--vary` argument: the axis and its field path split into segments. */
export interface VaryArg extends SweepAxis {
  readonly segments: FieldSegments;
}

const EXAMPLE = 'e.g. --vary client.keepalive.idle=60..7200';

/**
 * Parses `--vary <field>=<from>..<to>` (whole numbers, `from` below `to`);
 * the field comes back in its usual spelling (`path.0.idleTimeout` → `path[0].idleTimeout`).
 *
 * @throws UsageError naming what is wrong with the argument
 */
export function parseVary(command: string, text: string): VaryArg {
  const eq = text.indexOf('=');
  if (eq < 0) throw new UsageError(command, `--vary '${text}': expected <field>=<from>..<to>, ${EXAMPLE}`);
  const fieldText = text.slice(0, eq).trim();
  const rangeText = text.slice(eq + 1).trim();
  const path = parseFieldPath(fieldText);
  if (!path.ok) throw new UsageError(command, `--vary '${text}': ${path.message}`);
  const m = /^(-?\d+)\.\.(-?\d+)$/.exec(rangeText);
  if (m === null) throw new UsageError(command, `--vary '${text}': the range '${rangeText}' is not <from>..<to> in whole numbers, ${EXAMPLE}`);
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new UsageError(command, `--vary '${text}': the range bounds are too large`);
  if (from >= to) throw new UsageError(command, `--vary '${text}': the range must go up (from ${from} is not below to ${to})`);
  return { field: formatFieldPath(path.value), segments: path.value, from, to };
}

/**
 * Parses `--shard k/n` (1 ≤ k ≤ n ≤ 1000).
 *
 * @throws UsageError when it is not of that form
 */
export function parseShard(command: string, text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && count >= 1 && index <= count && count <= 1000)) {
    throw new UsageError(command, `--shard '${text}': expected k/n with 1 ≤ k ≤ n ≤ 1000, e.g. --shard 1/4`);
  }
  return { index, count };
}
