import { KEEPALIVE_PRESETS } from '../scenarios/keepalivePresets.ts';
import { formatFieldPath } from '../scenarios/formatFieldPath.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { suggestName } from '../scenarios/suggestName.ts';

/** A field path split into keys and list indexes: `path[0].idleTimeout` → `['path', 0, 'idleTimeout']`. */
export type FieldSegments = readonly (string | number)[];

/** The result of parsing or applying a field path: the value, or a message naming the problem. */
export type FieldResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Parses a dotted field path into the scenario file format, as
 * `midpath sweep --vary` takes it: `client.keepalive.idle`,
 * `path[0].idleTimeout`, `path[0].appliances.tcpTimeout` (`path.0.idleTimeout`
 * is accepted too).
 */
export function parseFieldPath(text: string): FieldResult<FieldSegments> {
  if (text === '') return { ok: false, message: 'empty field path' };
  const segments: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) return { ok: false, message: `'${part}' in field path '${text}' is not a field name or name[index]` };
    const [, name = '', indexes = ''] = m;
    if (name === '' && indexes === '') return { ok: false, message: `empty part in field path '${text}'` };
    if (name !== '') {
      if (/^\d+$/.test(name)) segments.push(Number(name));
      else if (KEY.test(name)) segments.push(name);
      else return { ok: false, message: `'${name}' in field path '${text}' is not a field name` };
    } else if (segments.length === 0) {
      return { ok: false, message: `field path '${text}' starts with an index; start with a field name such as path[0]` };
    }
    for (const idx of indexes.matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  return { ok: true, value: segments };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keepalive timer fields, which exist only once keepalive is on. */
const TIMER_FIELDS = ['idle', 'interval', 'probes'];

/** What setting a field changed besides the field itself, in words (for a note in the output). */
export interface FieldSetting {
  /** The scenario as plain data with the field set, ready for `validateScenario`. */
  readonly value: unknown;
  /** Set when a `keepalive: off` had to be turned on to set one of its timers. */
  readonly note?: string;
}

/**
 * Sets one numeric field of a validated scenario (or of the plain data a
 * previous `setField` returned), returning a plain-data copy to re-validate
 * (the input is not changed). Every field of a
 * validated scenario is present (defaults are filled in), so a key that is
 * missing is a typo and named as such. Setting a keepalive timer
 * (`client.keepalive.idle`) on an endpoint whose keepalive is `off` turns
 * keepalive on with the Linux defaults for the other timers, and says so in
 * `note`.
 */
export function setField(scenario: Scenario | FieldSetting['value'], segments: FieldSegments, value: number): FieldResult<FieldSetting> {
  const root = JSON.parse(JSON.stringify(scenario)) as Json;
  let node: Json = root;
  let note: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const here = formatFieldPath(segments.slice(0, i));
    const last = i === segments.length - 1;
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) return { ok: false, message: `${here} is not a list; [${seg}] cannot index it` };
      if (seg >= node.length) return { ok: false, message: `${here} has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}; [${seg}] is past its end` };
      if (last) node[seg] = value;
      else node = node[seg]!;
      continue;
    }
    if (!isObject(node)) return { ok: false, message: `${here === '' ? 'the scenario' : here} has no fields; .${seg} cannot be set` };
    if (!Object.prototype.hasOwnProperty.call(node, seg)) {
      const known = Object.keys(node).filter((k) => k !== '$schema');
      const hint = suggestName(seg, known);
      const where = here === '' ? 'the scenario' : here;
      return { ok: false, message: `${where} has no field '${seg}'${hint === undefined ? '' : ` (did you mean ${hint}?)`}; fields: ${known.join(', ')}` };
    }
    if (last) {
      node[seg] = value;
      continue;
    }
    const next: Json = node[seg]!;
    const nextSeg = segments[i + 1];
    if (seg === 'keepalive' && (next === 'off' || next === false) && typeof nextSeg === 'string' && !TIMER_FIELDS.includes(nextSeg)) {
      const hint = suggestName(nextSeg, TIMER_FIELDS);
      const where = formatFieldPath(segments.slice(0, i + 1));
      return { ok: false, message: `${where} has no field '${nextSeg}'${hint === undefined ? '' : ` (did you mean ${hint}?)`}; fields: ${TIMER_FIELDS.join(', ')}` };
    }
    if (seg === 'keepalive' && (next === 'off' || next === false) && typeof nextSeg === 'string') {
      const timers = { ...KEEPALIVE_PRESETS.linux };
      node[seg] = timers;
      const others = TIMER_FIELDS.filter((f) => f !== nextSeg).map((f) => `${f} ${timers[f as keyof typeof timers]}`);
      note = `${formatFieldPath(segments.slice(0, i + 1))} is off in the scenario; setting its ${nextSeg} turns keepalive on with the Linux defaults for the other timers (${others.join(', ')})`;
    }
    node = node[seg]!;
  }
  return { ok: true, value: { value: root, ...(note === undefined ? {} : { note }) } };
}
