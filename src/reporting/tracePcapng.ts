import type { Trace } from '../system/trace.ts';
import { encodePcapng } from './pcapng.ts';
import { traceWireEvents } from './traceWireEvents.ts';
import { wireCapture, type WireAddresses } from './wirePackets.ts';

/**
 * A counterexample as a pcapng file: one interface per capture point of its
 * path (named in its Interface Description Block), its segments at every
 * point they crossed, stamped from the fixed capture epoch. Pure and
 * deterministic: the same trace and addresses give the same bytes.
 */
export function tracePcapng(trace: Trace, addresses: WireAddresses): Uint8Array {
  const capture = wireCapture(traceWireEvents(trace), addresses);
  return encodePcapng(capture.frames, capture.interfaces);
}
