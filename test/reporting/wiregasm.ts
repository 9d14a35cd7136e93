import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pkg from '@goodtools/wiregasm';
import type { ProtoTree, Vector, WiregasmLoader } from '@goodtools/wiregasm';

const { Wiregasm, vectorToArray } = pkg;
const require = createRequire(import.meta.url);
const DIST = dirname(require.resolve('@goodtools/wiregasm/dist/wiregasm.js'));
const loader = require('@goodtools/wiregasm/dist/wiregasm.js') as WiregasmLoader;

/** One expert-information item of a frame, as `tshark -z expert` lists it. */
export interface ExpertItem {
  /** The expert field, e.g. `tcp.analysis.retransmission`, `tcp.connection.syn`. */
  readonly field: string;
  readonly severity: string;
  readonly group: string;
  readonly message: string;
}

/** One dissected frame: every field value of its protocol tree (all occurrences, outer before inner), its expert items, its comments. */
export interface DissectedFrame {
  readonly number: number;
  readonly fields: ReadonlyMap<string, readonly string[]>;
  readonly expert: readonly ExpertItem[];
  readonly comments: readonly string[];
}

/** The first value of a field, or '' when the frame has none. */
export function field(f: DissectedFrame, name: string): string {
  return f.fields.get(name)?.[0] ?? '';
}

/** Every value of a field (outer header first). */
export function fields(f: DissectedFrame, name: string): readonly string[] {
  return f.fields.get(name) ?? [];
}

/** A tree node's filter `name == value` split into its field name and its value (quotes removed). */
function splitFilter(filter: string): [string, string | undefined] {
  const at = filter.indexOf(' == ');
  if (at < 0) return [filter, undefined];
  const value = filter.slice(at + 4);
  return [filter.slice(0, at), value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value];
}

function walk(tree: Vector<ProtoTree>, values: Map<string, string[]>, expert: ExpertItem[]): void {
  for (const node of vectorToArray(tree)) {
    const [name, value] = splitFilter(node.filter);
    if (name === '_ws.expert') {
      const kids = vectorToArray(node.tree);
      const item = kids[0];
      const get = (f: string): string => splitFilter(kids.find((k) => k.filter.startsWith(`${f} ==`))?.filter ?? '')[1] ?? '';
      expert.push({ field: splitFilter(item?.filter ?? '')[0], severity: get('_ws.expert.severity'), group: get('_ws.expert.group'), message: item?.label ?? '' });
    }
    if (value !== undefined && name !== '') {
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
    walk(node.tree, values, expert);
  }
}

/** Wireshark compiled to WebAssembly (`@goodtools/wiregasm`), one instance per test file (start-up about 1 s). */
export interface Dissector {
  /** Dissects a pcapng or pcap file: every frame with its fields and expert information. */
  dissect(bytes: Uint8Array): DissectedFrame[];
  /** Wireshark's version. */
  readonly version: string;
}

/**
 * Starts Wireshark in WebAssembly with IP and TCP checksum validation on
 * (`-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE` in tshark terms)
 * and, when `deinterlace` is set, conversations told apart by capture
 * interface (the `protocols.conversation_deinterlacing_key` preference,
 * Wireshark ≥ 4.2), so each interface is analysed as its own tap.
 */
export async function openDissector(options: { readonly deinterlace?: boolean } = {}): Promise<Dissector> {
  const w = new Wiregasm();
  const quiet = (): void => undefined;
  await w.init(loader, { locateFile: (p: string) => join(DIST, p), print: quiet, printErr: quiet, handleStatus: quiet });
  w.set_pref('tcp', 'check_checksum', 'TRUE');
  w.set_pref('ip', 'check_checksum', 'TRUE');
  if (options.deinterlace === true) w.set_pref('protocols', 'conversation_deinterlacing_key', 'Interface');
  w.apply_prefs();
  let files = 0;
  return {
    version: w.lib.wiresharkVersion(),
    dissect(bytes) {
      files += 1;
      const loaded = w.load(`capture-${files}.pcapng`, bytes);
      if (loaded.code !== 0) throw new Error(`wiregasm could not load the capture: ${loaded.error}`);
      const count = loaded.summary.packet_count;
      return Array.from({ length: count }, (_, i) => {
        const f = w.frame(i + 1);
        const values = new Map<string, string[]>();
        const expert: ExpertItem[] = [];
        walk(f.tree, values, expert);
        return { number: i + 1, fields: values, expert, comments: vectorToArray(f.comments) };
      });
    },
  };
}

/** The blocks of a little-endian pcapng file: type and whole block bytes. */
function pcapngBlocks(bytes: Uint8Array): { type: number; block: Uint8Array }[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { type: number; block: Uint8Array }[] = [];
  for (let off = 0; off < bytes.length; ) {
    const type = v.getUint32(off, true);
    const length = v.getUint32(off + 4, true);
    if (length < 12 || off + length > bytes.length) throw new Error(`pcapng block at byte ${off} has length ${length}`);
    out.push({ type, block: bytes.subarray(off, off + length) });
    off += length;
  }
  return out;
}

/**
 * One capture interface of a pcapng file as a file of its own: the section
 * header, that interface's description block, and its packets renumbered to
 * interface 0. Wireshark then analyses that capture point alone, as a
 * capture taken only there would be (its TCP analysis keys conversations by
 * addresses and ports, not by interface).
 */
export function pcapngInterface(bytes: Uint8Array, id: number): Uint8Array {
  const blocks = pcapngBlocks(bytes);
  const parts: Uint8Array[] = [];
  let idb = -1;
  for (const { type, block } of blocks) {
    if (type === 0x0a0d0d0a) parts.push(block);
    else if (type === 1) {
      idb += 1;
      if (idb === id) parts.push(block);
    } else if (type === 6) {
      const bv = new DataView(block.buffer, block.byteOffset, block.byteLength);
      if (bv.getUint32(8, true) !== id) continue;
      const copy = Uint8Array.from(block);
      new DataView(copy.buffer).setUint32(8, 0, true);
      parts.push(copy);
    }
  }
  if (idb < id) throw new Error(`pcapng has ${idb + 1} interface(s), no interface ${id}`);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The number of Interface Description Blocks of a pcapng file. */
export function pcapngInterfaceCount(bytes: Uint8Array): number {
  return pcapngBlocks(bytes).filter((b) => b.type === 1).length;
}
