import type { AnyMachineSnapshot } from 'xstate';
import type { ProductSystem, SystemState } from './product.ts';

/** The top-level state name of a snapshot (`established` for `{ established: {…} }`). */
export function topState(snap: AnyMachineSnapshot): string {
  const v: unknown = snap.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return Object.keys(v)[0] ?? '';
  return '';
}

/** A compact text of a snapshot's state value, e.g. `established(transmit:idle, application:waiting)`. */
export function stateText(snap: AnyMachineSnapshot): string {
  const fmt = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 1) {
        const [k, sub] = entries[0]!;
        return `${k}.${fmt(sub)}`;
      }
      return `{${entries.map(([k, sub]) => `${k}:${fmt(sub)}`).join(', ')}}`;
    }
    return String(v);
  };
  return fmt(snap.value);
}

/** The top-level state of the endpoint of `role` of connection `conn`. */
export function endpointState(sys: ProductSystem, s: SystemState, conn: number, role: 'client' | 'server'): string {
  const idx = sys.layout.endpoint[conn]![role === 'client' ? 0 : 1];
  return topState(sys.layout.components[idx]!.logic.snapshot(s.locals[idx]!));
}

/** The end reason of an endpoint (`fin`, `retransmit-timeout`, …) once `ended`, else null. */
export function endpointEndReason(sys: ProductSystem, s: SystemState, conn: number, role: 'client' | 'server'): string | null {
  const idx = sys.layout.endpoint[conn]![role === 'client' ? 0 : 1];
  const ctx = sys.layout.components[idx]!.logic.snapshot(s.locals[idx]!).context as { endReason?: string | null };
  return ctx.endReason ?? null;
}

/** Endpoint states in which the application still holds the connection open and can use it. */
export const HOLDS_OPEN: ReadonlySet<string> = new Set(['established', 'closeWait']);

/** Endpoint states that exist before or after the connection (nothing held). */
export const NOT_CONNECTED: ReadonlySet<string> = new Set(['closed', 'listen', 'ended']);

/** Endpoint states after a FIN was sent or received, before the connection is gone. */
export const CLOSING: ReadonlySet<string> = new Set(['finWait1', 'finWait2', 'closing', 'timeWait', 'closeWait', 'lastAck']);

/**
 * The context of a snapshot that can change (everything but the constant
 * `config`), as one line of sorted `key=value` pairs, e.g.
 * `outstanding=fin peerFinSeen=false probesSent=0 retries=2`; a GWLB flow's
 * pinned `target` appliance goes through `appliance` (a trace's numbering).
 * Empty when nothing can change. Traces record it per step and the replay
 * compares it, so a step's nested state and counters must both match.
 */
export function contextText(snap: AnyMachineSnapshot, appliance: (a: number) => number = (a) => a): string {
  const ctx = (snap.context ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(ctx).sort()) {
    if (k === 'config') continue;
    const v = ctx[k];
    parts.push(`${k}=${(k === 'target' || k === 'lastTarget') && typeof v === 'number' ? appliance(v) : JSON.stringify(v)}`);
  }
  return parts.join(' ');
}
